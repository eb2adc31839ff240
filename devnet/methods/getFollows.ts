/**
 * app.bsky.graph.getFollows: who `actor` follows, 1..100 per page. Follow-list faults (endless,
 * looping and empty-but-continued pages, an account gone mid-list) bend the real pages here.
 */
import { MAX_FOLLOWS_LIMIT } from '../ground-truth.js';
import { profileView } from '../views.js';
import { XrpcError } from '../xrpc-error.js';
import type { XrpcMethod } from './context.js';
import { cursorAt, followPage, type FollowPage } from './follow-pages.js';
import { intParam } from './params.js';

/** The cursor an injected empty page hands out: the real list resumes at its offset. */
const RESUME = 'resume:';

export const getFollows: XrpcMethod = {
  nsid: 'app.bsky.graph.getFollows',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    const raw = ctx.params.get('cursor') ?? '';
    const resumed = raw.startsWith(RESUME);
    const params = new URLSearchParams(ctx.params);
    if (resumed) params.set('cursor', raw.slice(RESUME.length));
    let page: FollowPage = followPage({ ...ctx, params }, (subject) => ctx.state.follows(subject));

    const { offset, list } = page;
    const limit = intParam(params, 'limit', 1, MAX_FOLLOWS_LIMIT, 50);
    const fault = ctx.faults.follows(page.subject.did, Math.floor(offset / limit) + 1, resumed);
    switch (fault.kind) {
      case 'error':
        throw new XrpcError(400, fault.error, fault.message);
      case 'endless': {
        const items =
          offset < list.indexes.length || fault.pages === 'empty' ? page.items : followPage({ ...ctx, params: withCursor(params, '0') }, () => list).items;
        page = { ...page, items, cursor: cursorAt(list, offset + limit) };
        break;
      }
      case 'repeat-cursor':
        page = { ...page, cursor: cursorAt(list, offset) };
        break;
      case 'empty-page':
        page = { ...page, items: [], cursor: `${RESUME}${cursorAt(list, offset)}` };
        break;
      case 'none':
        break;
    }
    return { subject: profileView(page.subject), follows: page.items.map(profileView), ...(page.cursor ? { cursor: page.cursor } : {}) };
  },
};

function withCursor(params: URLSearchParams, cursor: string): URLSearchParams {
  const copy = new URLSearchParams(params);
  copy.set('cursor', cursor);
  return copy;
}
