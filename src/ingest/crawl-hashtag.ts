/**
 * One ingest run, top to bottom: search finds members (written as found), and each new member at
 * once gets its profile batched (25 per call) and its follows crawled to the end, in parallel, while
 * a BatchWriter commits behind them. A resumed run skips what its checkpoint says is done.
 */
import type { AppBskyActorDefs, AppBskyFeedDefs } from '@atproto/api';
import PQueue from 'p-queue';
import type { GraphDatabase } from '../graph/database.js';
import { bumpGraphVersion } from '../graph/graph-version.js';
import type { Lease } from '../graph/ingest-lease.js';
import { finaliseHashtag, type MemberRow, type ProfileRow, type TargetRow } from '../graph/ingest-writes.js';
import { runMemberProgress, updateRun, type StoredRun } from '../graph/ingest-runs.js';
import type { Logger } from '../logging/logger.js';
import { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import { initialSearchState, searchHashtag, type SearchCheckpoint } from './search-stage.js';
import type { IngestCounters, IngestStage } from './types.js';

const PROFILES_PER_CALL = 25;

export interface CrawlDeps {
  readonly db: GraphDatabase;
  readonly client: BlueskyClient;
  readonly run: StoredRun;
  /** The run's lease: every write proves it. */
  readonly lease: Lease;
  readonly logger: Logger;
  /** Pages of one member's follows before the list counts as unreadable (endless cursors). */
  readonly maxFollowPages: number;
  /** Largest share of the community a prune may remove unless the run allows shrinking. */
  readonly maxShrink: number;
  /** Member follow-crawls in flight; the transport's own concurrency bounds the requests. */
  readonly memberConcurrency: number;
  readonly signal: AbortSignal;
  readonly onProgress?: (counters: IngestCounters, stage: IngestStage) => void;
  readonly batchEdges?: number;
}

interface Checkpoint {
  search: SearchCheckpoint;
}

export interface CrawlResult {
  readonly counters: IngestCounters;
  readonly removedMembers: number;
  readonly removedFollows: number;
  /** Members whose follow lists could not be read to the end (their edges were kept). */
  readonly incompleteMembers: number;
}

export async function crawlHashtag(deps: CrawlDeps): Promise<CrawlResult> {
  const { db, client, run, lease, logger } = deps;
  const checkpoint: Checkpoint = run.checkpoint
    ? (JSON.parse(run.checkpoint) as Checkpoint)
    : { search: initialSearchState({ hashtag: run.hashtag, until: run.until }) };
  const resumed = await runMemberProgress(db, run.id);
  const known = new Set(resumed.members);
  const counters: IngestCounters = { ...run.counters, members: known.size };
  let stage: IngestStage = checkpoint.search.done ? 'FOLLOWS' : 'SEARCH';
  const countersNow = (): IngestCounters => {
    const stats = client.stats();
    counters.requests = run.counters.requests + stats.requests;
    counters.retries = run.counters.retries + stats.retries;
    counters.waits = run.counters.waits + stats.waits;
    return counters;
  };
  const report = () => deps.onProgress?.(countersNow(), stage);

  const writer = new BatchWriter(db, {
    runId: run.id,
    hashtag: run.hashtag,
    stamp: run.stamp,
    lease,
    batchEdges: deps.batchEdges,
    counters: () => ({ ...countersNow() }),
    onCommitted: ({ edges, completed }) => {
      counters.follows += edges;
      counters.membersDone += completed;
      report();
    },
  });

  // A failure anywhere stops everything else; the first error is the one reported.
  const failure = new AbortController();
  let firstError: Error | null = null;
  const fail = (err: Error) => {
    firstError ??= err;
    failure.abort();
  };
  const stopped = () => failure.signal.aborted || deps.signal.aborted;

  const members = new PQueue({ concurrency: deps.memberConcurrency });
  const guarded = (work: () => Promise<void>) => () => (stopped() ? Promise.resolve() : work().catch(fail));

  // Only a list that ended without a cursor and without an error is evidence for deleting the
  // member's unseen edges; anything else (gone account, endless or repeating cursor) keeps them.
  let incompleteMembers = 0;
  const crawlFollows = async (did: string) => {
    let cursor: string | undefined;
    const cursorsSeen = new Set<string>();
    let why: string | null = null;
    for (let pages = 0; ; pages++) {
      if (pages >= deps.maxFollowPages) {
        why = `more than ${deps.maxFollowPages} pages`;
        break;
      }
      let page;
      try {
        page = await client.getFollows(did, cursor);
      } catch (err) {
        if (!isGoneAccount(err)) throw err;
        why = pages === 0 ? 'account gone or blocked' : 'account gone or blocked mid-list';
        break;
      }
      await writer.addFollowsPage(did, page.follows.map(toTarget));
      if (stopped()) return;
      if (!page.cursor) break;
      if (cursorsSeen.has(page.cursor)) {
        why = 'the service repeated a cursor';
        break;
      }
      cursorsSeen.add(page.cursor);
      cursor = page.cursor;
    }
    if (stopped()) return;
    if (why === null) return writer.completeMember(did);
    incompleteMembers++;
    logger.warn('follows not read to the end; the member keeps its stored follows', { did, reason: why });
    writer.incompleteMember(did);
  };

  let profileBuffer: string[] = [];
  const fetchProfiles = async (dids: string[]) => {
    const profiles = await client.getProfiles(dids);
    const found = new Set(profiles.map((p) => p.did));
    counters.profiles += profiles.length;
    writer.addProfiles(profiles.map(toProfile), dids.filter((d) => !found.has(d)));
  };
  const flushProfiles = (all: boolean) => {
    while (profileBuffer.length >= PROFILES_PER_CALL || (all && profileBuffer.length > 0)) {
      const chunk = profileBuffer.slice(0, PROFILES_PER_CALL);
      profileBuffer = profileBuffer.slice(PROFILES_PER_CALL);
      void members.add(guarded(() => fetchProfiles(chunk)), { priority: 1 });
    }
  };
  const enqueueMember = (did: string, needsProfile: boolean, needsFollows: boolean) => {
    if (needsProfile) {
      profileBuffer.push(did);
      flushProfiles(false);
    }
    if (needsFollows) void members.add(guarded(() => crawlFollows(did)));
  };

  const followsPending = new Set(resumed.followsPending);
  const profilesPending = new Set(resumed.profilesPending);
  for (const did of resumed.members) enqueueMember(did, profilesPending.has(did), followsPending.has(did));
  if (resumed.members.length) logger.info('resuming', { members: known.size, profilesPending: profilesPending.size, followsPending: followsPending.size });

  try {
    if (!checkpoint.search.done) {
      await updateRun(db, lease, { stage: 'SEARCH' });
      for await (const page of searchHashtag(client, { hashtag: run.hashtag, maxPosts: run.maxPosts, since: run.since, until: run.until }, checkpoint.search)) {
        if (stopped()) break;
        counters.searchPages = page.state.pages;
        counters.posts = page.state.matched;
        const { rows, fresh } = aggregateMembers(page.matching, known);
        const order = known.size;
        fresh.forEach((did) => known.add(did));
        counters.members = known.size;
        checkpoint.search = page.state;
        // Members first (in the same FIFO as their edges), then their fetches.
        writer.addMembers(rows, fresh.map((did, i) => ({ did, order: order + i })), JSON.stringify(checkpoint));
        for (const did of fresh) enqueueMember(did, true, true);
        report();
        while (members.size > deps.memberConcurrency * 4 && !stopped()) await members.onSizeLessThan(deps.memberConcurrency * 2);
      }
      if (!stopped()) logger.info('search done', { pages: checkpoint.search.pages, posts: checkpoint.search.matched, members: known.size });
    }
    stage = 'FOLLOWS';
    if (!stopped()) await updateRun(db, lease, { stage });
    flushProfiles(true);
    await members.onIdle();
    if (firstError) throw firstError;
    if (deps.signal.aborted) throw abortError();
    await writer.drain();

    stage = 'FINALISE';
    await updateRun(db, lease, { stage, counters: countersNow() });
    // Memberships are pruned only on an unbounded search that ran to its end and found posts:
    // an empty result is no evidence that everyone left (a search outage looks the same).
    const searchComplete = !run.maxPosts && !run.since && !run.until && checkpoint.search.done && checkpoint.search.matched > 0;
    const totals = await db.writeTx(async (tx) => {
      const result = await finaliseHashtag(tx, {
        lease,
        runId: run.id,
        hashtag: run.hashtag,
        stamp: run.stamp,
        pruneMembers: searchComplete,
        maxShrink: deps.maxShrink,
        allowShrink: run.allowShrink,
      });
      await bumpGraphVersion(tx);
      return result;
    }, 300_000);
    // From here every counter is what Neo4j holds, so the bar, the summary and the run agree.
    counters.members = totals.members;
    counters.membersDone = totals.members;
    counters.follows = totals.follows;
    counters.actors = totals.actors;
    stage = 'DONE';
    report();
    return { counters: countersNow(), removedMembers: totals.removedMembers, removedFollows: totals.removedFollows, incompleteMembers };
  } catch (err) {
    fail(err as Error);
    members.clear();
    await members.onIdle().catch(() => undefined);
    await writer.close();
    throw writer.error ?? firstError ?? err;
  }
}

function aggregateMembers(posts: AppBskyFeedDefs.PostView[], known: Set<string>): { rows: MemberRow[]; fresh: string[] } {
  const byDid = new Map<string, { -readonly [K in keyof MemberRow]: MemberRow[K] }>();
  const fresh: string[] = [];
  for (const post of posts) {
    const a = post.author;
    const row = byDid.get(a.did);
    if (row) {
      row.posts++;
      if (post.indexedAt < row.firstAt) row.firstAt = post.indexedAt;
      if (post.indexedAt > row.lastAt) row.lastAt = post.indexedAt;
    } else {
      byDid.set(a.did, { did: a.did, handle: a.handle, displayName: a.displayName ?? null, avatar: a.avatar ?? null, posts: 1, firstAt: post.indexedAt, lastAt: post.indexedAt });
      if (!known.has(a.did)) fresh.push(a.did);
    }
  }
  return { rows: [...byDid.values()], fresh };
}

function toProfile(p: AppBskyActorDefs.ProfileViewDetailed): ProfileRow {
  return {
    did: p.did,
    handle: p.handle,
    displayName: p.displayName ?? null,
    description: p.description ?? null,
    avatar: p.avatar ?? null,
    postsCount: p.postsCount ?? null,
    followersCount: p.followersCount ?? null,
    followsCount: p.followsCount ?? null,
    createdAt: p.createdAt ?? null,
  };
}

function toTarget(p: AppBskyActorDefs.ProfileView): TargetRow {
  return {
    did: p.did,
    handle: p.handle,
    displayName: p.displayName ?? null,
    description: p.description ?? null,
    avatar: p.avatar ?? null,
    createdAt: p.createdAt ?? null,
  };
}

/** A 400 that says the account is gone, deactivated, or blocks us: its follows can't be read. */
function isGoneAccount(err: unknown): boolean {
  const e = err as { status?: number; error?: string; message?: string };
  if (e.status !== 400) return false;
  return /AccountDeactivated|AccountTakedown|BlockedActor|BlockedByActor|NotFound|not found|could not find/i.test(`${e.error} ${e.message}`);
}

function abortError(): Error {
  const err = new Error('the ingest was cancelled');
  err.name = 'AbortError';
  return err;
}
