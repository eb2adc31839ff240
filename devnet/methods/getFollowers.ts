/** app.bsky.graph.getFollowers: who follows `actor` (only members follow anyone in a static devnet). */
import { profileView } from '../views.js';
import type { XrpcMethod } from './context.js';
import { followPage } from './follow-pages.js';

export const getFollowers: XrpcMethod = {
  nsid: 'app.bsky.graph.getFollowers',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    const page = followPage(ctx, (subject) => ctx.state.followers(subject));
    return { subject: profileView(page.subject), followers: page.items.map(profileView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  },
};
