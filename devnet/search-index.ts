/**
 * The devnet's post search: which posts a query returns, newest first. Shared by the
 * searchPosts endpoint and by the R_min computation, so both count the same pages.
 */
import type { Community } from './community.js';
import { parseQuery, postTerms, searchMatches, type PostTerms, type SearchMatchMode } from './hashtag-match.js';

interface SearchIndex {
  terms: PostTerms[];
  results: Map<string, Int32Array>;
}

const indexes = new WeakMap<readonly unknown[], SearchIndex>();

function indexFor(community: Community): SearchIndex {
  // Keyed by the posts array: renamed communities share posts and so share the index.
  let index = indexes.get(community.posts);
  if (!index) {
    index = { terms: community.posts.map((p) => postTerms(p)), results: new Map() };
    indexes.set(community.posts, index);
  }
  return index;
}

/** Indexes into `community.posts` (newest first) of every post matching `q`. Cached per query. */
export function matchingPosts(community: Community, q: string, mode: SearchMatchMode): Int32Array {
  const index = indexFor(community);
  const query = parseQuery(q);
  const key = `${mode}\u0000${query.map((t) => `${t.kind}:${t.value}`).join(' ')}`;
  let hits = index.results.get(key);
  if (!hits) {
    const found: number[] = [];
    community.posts.forEach((post, i) => {
      if (searchMatches(post, index.terms[i] as PostTerms, query, mode)) found.push(i);
    });
    hits = Int32Array.from(found);
    // Crawlers repeat the same query with different windows; a small cache is enough.
    if (index.results.size > 256) index.results.clear();
    index.results.set(key, hits);
  }
  return hits;
}
