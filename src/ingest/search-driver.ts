/**
 * Stage 1 driven: each page of the hashtag search (search-stage.ts) becomes members. Authors seen
 * for the first time are written (with the checkpoint that includes their page) ahead of any of
 * their edges, then handed on for their profile and follows.
 */
import type { AppBskyFeedDefs } from '@atproto/api';
import { MAX_CO_TAGS, type MemberRow } from '../graph/ingest-writes.js';
import { tagsOfPost, type PostRecordLike } from '../core/tag-match.js';
import type { Logger } from '../logging/logger.js';
import type { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import { serialiseCheckpoint, type CrawlCheckpoint } from './crawl-checkpoint.js';
import type { CrawlCounters } from './crawl-counters.js';
import type { MemberTasks } from './member-tasks.js';
import { searchHashtag, type SearchOptions } from './search-stage.js';

export interface SearchDriverDeps {
  readonly client: Pick<BlueskyClient, 'searchPosts'>;
  readonly search: SearchOptions;
  /** Updated page by page: what the next batch stores and a resume starts from. */
  readonly checkpoint: CrawlCheckpoint;
  /** Every member of this run so far (resumed ones included), in discovery order. */
  readonly known: Set<string>;
  readonly writer: Pick<BatchWriter, 'addMembers'>;
  readonly counters: CrawlCounters;
  readonly tasks: Pick<MemberTasks, 'stopped' | 'whileBacklogged'>;
  readonly logger: Logger;
  readonly onNewMember: (did: string) => void;
}

export async function driveSearch(deps: SearchDriverDeps): Promise<void> {
  const { checkpoint, known, counters, tasks } = deps;
  for await (const page of searchHashtag(deps.client, deps.search, checkpoint.search)) {
    if (tasks.stopped) break;
    counters.run.searchPages = page.state.pages;
    counters.run.searchWindows = page.state.windows ?? 1;
    counters.run.posts = page.state.matched;
    const { rows, fresh } = aggregateMembers(page.matching, known, deps.search.hashtag);
    const order = known.size;
    fresh.forEach((did) => known.add(did));
    counters.run.members = known.size;
    checkpoint.search = page.state;
    // Members first (in the same FIFO as their edges), then their fetches.
    deps.writer.addMembers(rows, fresh.map((did, i) => ({ did, order: order + i })), serialiseCheckpoint(checkpoint));
    for (const did of fresh) deps.onNewMember(did);
    counters.report();
    await tasks.whileBacklogged();
  }
  if (!tasks.stopped) deps.logger.info('search done', { pages: checkpoint.search.pages, posts: checkpoint.search.matched, members: known.size });
}

/**
 * One row per author of the page (post count, first/last post, the other hashtags they used), and
 * the authors new to `known`.
 */
export function aggregateMembers(posts: AppBskyFeedDefs.PostView[], known: ReadonlySet<string>, hashtag: string): { rows: MemberRow[]; fresh: string[] } {
  const byDid = new Map<string, { -readonly [K in keyof MemberRow]: MemberRow[K] }>();
  const fresh: string[] = [];
  for (const post of posts) {
    const a = post.author;
    const row = byDid.get(a.did);
    const coTags = [...tagsOfPost(post.record as PostRecordLike)].filter((t) => t !== hashtag);
    if (row) {
      for (const t of coTags) if (!row.coTags.includes(t) && row.coTags.length < MAX_CO_TAGS) row.coTags.push(t);
      row.posts++;
      if (post.indexedAt < row.firstAt) row.firstAt = post.indexedAt;
      if (post.indexedAt > row.lastAt) row.lastAt = post.indexedAt;
    } else {
      byDid.set(a.did, { did: a.did, handle: a.handle, displayName: a.displayName ?? null, avatar: a.avatar ?? null, posts: 1, firstAt: post.indexedAt, lastAt: post.indexedAt, coTags: coTags.slice(0, MAX_CO_TAGS) });
      if (!known.has(a.did)) fresh.push(a.did);
    }
  }
  return { rows: [...byDid.values()], fresh };
}
