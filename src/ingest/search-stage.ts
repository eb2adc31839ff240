/**
 * Stage 1: find the community. Pages through `searchPosts` for `#tag`; when the service stops
 * giving cursors (its result cap) it opens a new window with `until` = the oldest post seen, and
 * stops when a window brings nothing new. Every page yields the posts that really carry the tag
 * and the state to resume from.
 */
import type { AppBskyFeedDefs } from '@atproto/api';
import type { BlueskyClient } from './bsky-client.js';
import { postCarriesTag, type PostRecordLike } from '../core/tag-match.js';

export interface SearchCheckpoint {
  cursor: string | null;
  until: string | null;
  /** Oldest indexedAt seen so far, and the URIs seen at exactly that instant. */
  oldestAt: string | null;
  boundaryUris: string[];
  windowNew: number;
  /** Windows opened so far (absent in checkpoints written before it was counted: read as 1). */
  windows?: number;
  matched: number;
  pages: number;
  done: boolean;
}

export interface SearchOptions {
  readonly hashtag: string;
  readonly maxPosts?: number | null;
  readonly since?: string | null;
  readonly until?: string | null;
}

export interface SearchPageResult {
  readonly matching: AppBskyFeedDefs.PostView[];
  readonly state: SearchCheckpoint;
}

export function initialSearchState(options: SearchOptions): SearchCheckpoint {
  return { cursor: null, until: options.until ?? null, oldestAt: null, boundaryUris: [], windowNew: 0, windows: 1, matched: 0, pages: 0, done: false };
}

export async function* searchHashtag(
  client: Pick<BlueskyClient, 'searchPosts'>,
  options: SearchOptions,
  resumeFrom: SearchCheckpoint,
): AsyncGenerator<SearchPageResult> {
  const state: SearchCheckpoint = { ...resumeFrom, boundaryUris: [...resumeFrom.boundaryUris] };
  // Results come newest first: after a resume, anything newer than the oldest post seen was seen.
  const resumedAt = state.oldestAt;
  const resumedBoundary = new Set(state.boundaryUris);
  const seen = new Set<string>();
  const alreadySeen = (post: AppBskyFeedDefs.PostView) =>
    seen.has(post.uri) || (resumedAt !== null && (post.indexedAt > resumedAt || (post.indexedAt === resumedAt && resumedBoundary.has(post.uri))));
  const sinceMs = options.since ? Date.parse(options.since) : null;
  const untilMs = options.until ? Date.parse(options.until) : null;

  while (!state.done) {
    const page = await client.searchPosts({
      q: `#${options.hashtag}`,
      cursor: state.cursor ?? undefined,
      until: state.until ?? undefined,
      since: options.since ?? undefined,
    });
    state.pages++;
    const fresh = page.posts.filter((p) => !alreadySeen(p));
    for (const post of fresh) {
      seen.add(post.uri);
      if (state.oldestAt === null || post.indexedAt < state.oldestAt) {
        state.oldestAt = post.indexedAt;
        state.boundaryUris = [post.uri];
      } else if (post.indexedAt === state.oldestAt) {
        state.boundaryUris.push(post.uri);
      }
    }
    state.windowNew += fresh.length;
    // Services may ignore since/until (Bluesky's dev stack does): filter here as well.
    let matching = fresh.filter((p) => postCarriesTag(p.record as PostRecordLike, options.hashtag) && inRange(p, sinceMs, untilMs));
    if (options.maxPosts && state.matched + matching.length >= options.maxPosts) {
      matching = matching.slice(0, options.maxPosts - state.matched);
      state.done = true;
    }
    state.matched += matching.length;

    if (!state.done) {
      if (page.posts.length > 0 && fresh.length === 0) {
        // A whole page of posts already seen: the service ignores `until` or is repeating itself.
        state.done = true;
      } else if (page.cursor && page.posts.length > 0) {
        state.cursor = page.cursor;
      } else if (state.windowNew > 0 && state.oldestAt !== null && state.oldestAt !== state.until) {
        // The cursor ran out (the search cap) but this window found posts: look further back.
        state.until = state.oldestAt;
        state.cursor = null;
        state.windowNew = 0;
        state.windows = (state.windows ?? 1) + 1;
      } else {
        state.done = true;
      }
    }
    yield { matching, state: { ...state, boundaryUris: [...state.boundaryUris] } };
  }
}

function inRange(post: AppBskyFeedDefs.PostView, sinceMs: number | null, untilMs: number | null): boolean {
  if (sinceMs === null && untilMs === null) return true;
  const t = Date.parse(post.indexedAt);
  return (sinceMs === null || t >= sinceMs) && (untilMs === null || t < untilMs);
}
