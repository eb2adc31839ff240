/**
 * One ingest run, composed of its stages: the search driver finds members (written as found), and
 * each new member at once gets its profile batched (profile-batcher.ts) and its follows crawled to
 * the end (follows-crawler.ts), in parallel on one task queue, while a BatchWriter commits behind
 * them. All stages add to one CrawlCounters. A resumed run skips what its checkpoint says is done.
 */
import type { GraphDatabase } from '../graph/database.js';
import { bumpGraphVersion } from '../graph/graph-version.js';
import type { Lease } from '../graph/ingest-lease.js';
import { finaliseHashtag, unprofiledTargets, type FinaliseResult } from '../graph/ingest-writes.js';
import type { FollowsFrom } from '../core/follows-source.js';
import { runMemberProgress, updateRun, type StoredRun } from '../graph/ingest-runs.js';
import type { Logger } from '../logging/logger.js';
import { BatchWriter } from './batch-writer.js';
import type { BlueskyClient } from './bsky-client.js';
import { parseCheckpoint, type CrawlCheckpoint } from './crawl-checkpoint.js';
import { CrawlCounters } from './crawl-counters.js';
import { crawlFollows, type FollowsCrawlerDeps } from './follows-crawler.js';
import { MemberTasks } from './member-tasks.js';
import { memberProfiles, targetProfiles } from './profile-batcher.js';
import { driveSearch } from './search-driver.js';
import type { IngestCounters, IngestStage } from './types.js';
import { transportError } from './xrpc-errors.js';

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
  /** appview (getFollows) or repo (listRecords on each member's PDS). Default appview. */
  readonly followsFrom?: FollowsFrom;
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
  const search = { hashtag: run.hashtag, maxPosts: run.maxPosts, since: run.since, until: run.until };
  const checkpoint = parseCheckpoint(run.id, run.checkpoint, search);
  const resumed = await runMemberProgress(db, run.id);
  const known = new Set(resumed.members);
  const counters = new CrawlCounters({ ...run.counters, members: known.size }, () => client.stats(), checkpoint.search.done ? 'FOLLOWS' : 'SEARCH', deps.onProgress);
  const tasks = new MemberTasks(deps.memberConcurrency, deps.signal);
  const writer = new BatchWriter(db, {
    runId: run.id,
    hashtag: run.hashtag,
    stamp: run.stamp,
    lease,
    batchEdges: deps.batchEdges,
    counters: () => counters.snapshot(),
    onCommitted: ({ edges, completed }) => {
      counters.run.follows += edges;
      counters.run.membersDone += completed;
      counters.report();
    },
  });
  const profiles = memberProfiles({ client, writer, counters, tasks });
  const followsFrom = deps.followsFrom ?? 'appview';
  const follows: FollowsCrawlerDeps = { client, writer, counters, logger, followsFrom, maxFollowPages: deps.maxFollowPages, stopped: () => tasks.stopped };
  const enqueueMember = (did: string, needsProfile: boolean, needsFollows: boolean) => {
    if (needsProfile) profiles.add(did);
    if (needsFollows) tasks.add(() => crawlFollows(follows, did));
  };

  const followsPending = new Set(resumed.followsPending);
  const profilesPending = new Set(resumed.profilesPending);
  for (const did of resumed.members) enqueueMember(did, profilesPending.has(did), followsPending.has(did));
  if (resumed.members.length) logger.info('resuming', { members: known.size, profilesPending: profilesPending.size, followsPending: followsPending.size });

  try {
    if (!checkpoint.search.done) {
      await updateRun(db, lease, { stage: 'SEARCH' });
      await driveSearch({ client, search, checkpoint, known, writer, counters, tasks, logger, onNewMember: (did) => enqueueMember(did, true, true) });
    }
    counters.stage = 'FOLLOWS';
    if (!tasks.stopped) await updateRun(db, lease, { stage: 'FOLLOWS' });
    profiles.flush(true);
    await tasks.onIdle();
    if (tasks.error) throw tasks.error;
    if (tasks.cancelled) throw abortError();
    await writer.drain();
    if (followsFrom === 'repo') {
      // Records name followed accounts by DID alone: read the profiles of those the graph has none
      // of. From the graph, not from this run's memory, so a resumed run fills in a killed one's.
      const targets = targetProfiles({ client, writer, tasks });
      for (const did of await unprofiledTargets(db, run.hashtag)) targets.add(did);
      targets.flush(true);
      await tasks.onIdle();
      if (tasks.error) throw tasks.error;
      if (tasks.cancelled) throw abortError();
      await writer.drain();
    }

    counters.stage = 'FINALISE';
    await updateRun(db, lease, { stage: 'FINALISE', counters: counters.now() });
    const totals = await finalise(deps, checkpoint);
    // From here every counter is what Neo4j holds, so the bar, the summary and the run agree.
    counters.run.members = totals.members;
    counters.run.membersDone = totals.members;
    counters.run.follows = totals.follows;
    counters.run.actors = totals.actors;
    counters.stage = 'DONE';
    counters.report();
    return { counters: counters.now(), removedMembers: totals.removedMembers, removedFollows: totals.removedFollows, incompleteMembers: counters.run.incompleteFollowLists };
  } catch (err) {
    tasks.fail(err as Error);
    await tasks.abandon();
    await writer.close();
    throw transportError(writer.error ?? tasks.error ?? err);
  }
}

/** The one transaction that applies the run's deletions (measured first: see finaliseHashtag). */
async function finalise(deps: CrawlDeps, checkpoint: CrawlCheckpoint): Promise<FinaliseResult> {
  const { run, lease } = deps;
  // Memberships are pruned only on an unbounded search that ran to its end and found posts:
  // an empty result is no evidence that everyone left (a search outage looks the same).
  const searchComplete = !run.maxPosts && !run.since && !run.until && checkpoint.search.done && checkpoint.search.matched > 0;
  return deps.db.writeTx(async (tx) => {
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
}

function abortError(): Error {
  const err = new Error('the ingest was cancelled');
  err.name = 'AbortError';
  return err;
}
