/** app.bsky.graph.getFollows: who `actor` follows, 1..100 per page. */
import { followsOf } from '../follow-graph.js';
import { profileView } from '../views.js';
import type { XrpcMethod } from './context.js';
import { followPage } from './follow-pages.js';

export const getFollows: XrpcMethod = {
  nsid: 'app.bsky.graph.getFollows',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    const graph = ctx.state.community.follows;
    const page = followPage(ctx, (subject) => (subject.index < 0 ? new Int32Array(0) : followsOf(graph, subject.index)));
    return { subject: profileView(page.subject), follows: page.items.map(profileView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  },
};
