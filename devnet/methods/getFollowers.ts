/** app.bsky.graph.getFollowers: who follows `actor` (only members follow anyone in a devnet). */
import { followerIndex } from '../follow-graph.js';
import { profileView } from '../views.js';
import type { XrpcMethod } from './context.js';
import { followPage } from './follow-pages.js';

export const getFollowers: XrpcMethod = {
  nsid: 'app.bsky.graph.getFollowers',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    const page = followPage(ctx, (subject) => {
      if (subject.index < 0) return new Int32Array(0);
      const index = followerIndex(ctx.state.community.follows);
      return index.sources.subarray(index.offsets[subject.index] as number, index.offsets[subject.index + 1] as number);
    });
    return { subject: profileView(page.subject), followers: page.items.map(profileView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  },
};
