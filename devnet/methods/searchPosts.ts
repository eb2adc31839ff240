/**
 * app.bsky.feed.searchPosts, newest first ('top' is served in the same order). Paging one query
 * reaches at most `searchCap` results: past that the cursor disappears, as on the real service,
 * and a crawler has to query again with `until` = the oldest indexedAt it saw.
 * Supported filters: q, since (inclusive), until (exclusive), both on indexedAt; author; tag[].
 * Others (mentions, lang, domain, url) are ignored.
 */
import { MAX_SEARCH_LIMIT } from '../ground-truth.js';
import { carriesTag } from '../hashtag-match.js';
import { matchingPosts } from '../search-index.js';
import { postView } from '../views.js';
import type { DevnetPost } from '../community.js';
import type { XrpcMethod } from './context.js';
import { intParam, offsetCursor, requiredString, timeParam } from './params.js';

/** First position in `hits` whose post is older than `ms` (times are strictly descending). */
function firstOlderThan(hits: Int32Array, times: Float64Array, ms: number): number {
  let lo = 0;
  let hi = hits.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[hits[mid] as number] as number) < ms) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export const searchPosts: XrpcMethod = {
  nsid: 'app.bsky.feed.searchPosts',
  type: 'query',
  auth: 'access',
  handle(ctx) {
    const { state, params, config } = ctx;
    const q = requiredString(params, 'q');
    const limit = intParam(params, 'limit', 1, MAX_SEARCH_LIMIT, 25);
    const offset = offsetCursor(params);
    const since = timeParam(params, 'since');
    const until = timeParam(params, 'until');
    // A search outage looks like this on the real service: a 200 with nothing in it.
    if (ctx.faults.emptySearch()) return { posts: [] };

    // skeleton: the query's hits, cut to the time window, then the optional filters
    const hits = matchingPosts(state.community, q, config.searchMatch);
    const start = until === undefined ? 0 : firstOlderThan(hits, state.postTimes, until);
    const end = since === undefined ? hits.length : firstOlderThan(hits, state.postTimes, since);
    let window: ArrayLike<number> = hits.subarray(start, Math.max(start, end));
    const author = params.get('author');
    const tags = params.getAll('tag').filter((t) => t !== '');
    if (author || tags.length > 0) {
      const authorIndex = author ? (state.resolve(author)?.index ?? -2) : undefined;
      window = Array.from(window).filter((i) => {
        const post = state.community.posts[i] as DevnetPost;
        if (authorIndex !== undefined && post.author !== authorIndex) return false;
        return tags.every((t) => carriesTag(post, t));
      });
    }
    const reachable = Math.min(window.length, config.searchCap);
    const pageEnd = Math.min(reachable, offset + limit);

    // hydration + presentation
    const posts = [];
    for (let i = offset; i < pageEnd; i++) {
      const post = state.community.posts[window[i] as number] as DevnetPost;
      posts.push(postView(post, state.actor(post.author)));
    }
    return { posts, ...(pageEnd < reachable ? { cursor: String(pageEnd) } : {}) };
  },
};
