/**
 * The ingest's writes, one transaction per batch. A batch applies, in this order: members found by
 * search (which later edges MATCH on), profiles, follow targets, follow edges, then the members
 * whose follow lists are complete (their stale edges go), then the run's counters and checkpoint.
 * Because all of it commits together, a run killed at any instant resumes from a consistent state.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';
import { assertLease, type Lease } from './ingest-lease.js';
import { bumpGraphVersion } from './graph-version.js';
import { CodedError } from '../core/errors.js';

export interface MemberRow {
  readonly did: string;
  readonly handle: string;
  readonly displayName: string | null;
  readonly avatar: string | null;
  readonly posts: number;
  readonly firstAt: string;
  readonly lastAt: string;
  /** Other hashtags in these posts (lower case): what community labels are made of. */
  readonly coTags: string[];
}

/** Co-used hashtags kept per membership: enough to name a community, bounded for a prolific poster. */
export const MAX_CO_TAGS = 32;

export interface ProfileRow {
  readonly did: string;
  readonly handle: string;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly avatar: string | null;
  readonly postsCount: number | null;
  readonly followersCount: number | null;
  readonly followsCount: number | null;
  readonly createdAt: string | null;
}

export interface TargetRow {
  readonly did: string;
  readonly handle: string;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly avatar: string | null;
  readonly createdAt: string | null;
}

export interface FollowRecordEdge {
  readonly source: string;
  readonly subject: string;
  readonly rkey: string;
  readonly createdAt: string | null;
}

export interface IngestBatch {
  /** The run's lease on the hashtag: the batch writes nothing unless it is still held. */
  readonly lease: Lease;
  readonly runId: string;
  readonly hashtag: string;
  /** Run start (ms): FOLLOWS.seenAt older than this are unfollows once a member is complete. */
  readonly stamp: number;
  readonly members: MemberRow[];
  /** Members of `members` seen for the first time in this run, in discovery order. */
  readonly newMembers: Array<{ did: string; order: number }>;
  readonly profiles: ProfileRow[];
  /** Members whose profile was asked for but not returned (deleted, suspended): done all the same. */
  readonly profilesMissing: string[];
  readonly targets: TargetRow[];
  /** [sourceDid, targetDid] pairs (getFollows: the targets' profiles are in `targets`). */
  readonly edges: Array<[string, string]>;
  /** Follows read as records from members' repositories: rkey and createdAt, subjects by DID. */
  readonly recordEdges: FollowRecordEdge[];
  /** Followed accounts getProfiles did not return (deleted, taken down, deactivated): flagged. */
  readonly targetsMissing: string[];
  /** Members whose follow list ended cleanly (no cursor, no error): their unseen edges go at finalise. */
  readonly completed: string[];
  /** Members whose follow list could not be read to the end: done for this run, their edges kept. */
  readonly incomplete: string[];
  readonly checkpoint: string | null;
  readonly counters: Record<string, number>;
}

const MEMBERS = `
MERGE (h:Hashtag {name: $hashtag})
WITH h
UNWIND $members AS m
MERGE (a:Actor {did: m.did})
SET a.handle = m.handle,
    a.displayName = coalesce(m.displayName, a.displayName),
    a.avatar = coalesce(m.avatar, a.avatar)
MERGE (a)-[p:POSTED_WITH]->(h)
ON CREATE SET p.createdBy = $runId
// The run's own tally is kept apart (run*) and becomes the membership's only once the search has
// seen everything (finalise): a run stopped mid-search must not leave lowered counts behind. A
// membership this run created shows its tally at once (there is nothing older to keep).
SET p.runPosts = CASE WHEN p.runId = $runId THEN p.runPosts + m.posts ELSE m.posts END,
    p.runFirstAt = CASE WHEN p.runId = $runId AND p.runFirstAt < m.firstAt THEN p.runFirstAt ELSE m.firstAt END,
    p.runLastAt = CASE WHEN p.runId = $runId AND p.runLastAt > m.lastAt THEN p.runLastAt ELSE m.lastAt END,
    p.runId = $runId,
    // Co-used hashtags only accumulate (a label's evidence; nothing is deleted on its account).
    p.coTags = (coalesce(p.coTags, []) + [t IN m.coTags WHERE NOT t IN coalesce(p.coTags, [])])[0..$maxCoTags]
SET p.posts = CASE WHEN p.createdBy = $runId OR p.posts IS NULL THEN p.runPosts ELSE p.posts END,
    p.firstAt = CASE WHEN p.createdBy = $runId OR p.firstAt IS NULL THEN p.runFirstAt ELSE p.firstAt END,
    p.lastAt = CASE WHEN p.createdBy = $runId OR p.lastAt IS NULL THEN p.runLastAt ELSE p.lastAt END`;

const SAW = `
MATCH (r:IngestRun {id: $runId})
UNWIND $newMembers AS n
MATCH (a:Actor {did: n.did})
MERGE (r)-[s:SAW]->(a)
ON CREATE SET s.order = n.order, s.profileDone = false, s.followsDone = false`;

// The driver sends every JS number as a Cypher Float: counts are stored as integers here, so
// readers (GraphQL Int, exports, Browser) get 12, not 12.0.
const PROFILES = `
UNWIND $profiles AS p
MATCH (a:Actor {did: p.did})
SET a.handle = p.handle, a.displayName = p.displayName, a.description = p.description, a.avatar = p.avatar,
    a.postsCount = toInteger(p.postsCount), a.followersCount = toInteger(p.followersCount), a.followsCount = toInteger(p.followsCount),
    a.createdAt = p.createdAt, a.profileFetchedAt = datetime()
WITH collect(p.did) + $missing AS dids
UNWIND dids AS did
MATCH (a:Actor {did: did})<-[s:SAW]-(r:IngestRun)
WHERE r.id = $runId
SET s.profileDone = true`;

// Most targets recur in many batches with the same profile: read, and write only what changed
// (a property write costs far more than a read).
const TARGETS = `
UNWIND $targets AS t
MERGE (b:Actor {did: t.did})
WITH b, t
WHERE b.handle IS NULL OR b.handle <> t.handle
   OR coalesce(b.displayName, '') <> coalesce(t.displayName, '')
   OR coalesce(b.description, '') <> coalesce(t.description, '')
   OR coalesce(b.avatar, '') <> coalesce(t.avatar, '')
SET b.handle = t.handle, b.displayName = t.displayName, b.description = t.description, b.avatar = t.avatar,
    b.createdAt = coalesce(t.createdAt, b.createdAt)
REMOVE b.profileMissing`;

// seenAt only moves forward, so two runs crossing the same member never erase each other's edges.
const EDGES = `
UNWIND $groups AS g
MATCH (a:Actor {did: g.source})
UNWIND g.targets AS target
MATCH (b:Actor {did: target})
MERGE (a)-[f:FOLLOWS]->(b)
SET f.seenAt = CASE WHEN f.seenAt > $stamp THEN f.seenAt ELSE $stamp END`;

// Records name their subject by DID: an account new to the graph is a bare node until its profile
// is read (crawl-hashtag's last step). The record's rkey and createdAt are the edge's: a record
// deleted and made again names the new one.
const RECORD_EDGES = `
UNWIND $groups AS g
MATCH (a:Actor {did: g.source})
UNWIND g.records AS r
MERGE (b:Actor {did: r.subject})
MERGE (a)-[f:FOLLOWS]->(b)
SET f.seenAt = CASE WHEN f.seenAt > $stamp THEN f.seenAt ELSE $stamp END, f.rkey = r.rkey, f.createdAt = r.createdAt`;

const TARGETS_MISSING = `
UNWIND $missing AS did
MATCH (b:Actor {did: did})
SET b.profileMissing = true`;

// Deletion waits for the run's finalise, where it is weighed against the whole community.
const COMPLETED = `
UNWIND $completed AS did
MATCH (a:Actor {did: did})
SET a.followsFetchedAt = datetime()
WITH a
// Expand from the member (a few SAW edges), not from the run (one SAW per member: dense).
MATCH (a)<-[s:SAW]-(r:IngestRun)
WHERE r.id = $runId
SET s.followsDone = true, s.followsComplete = true`;

const INCOMPLETE = `
UNWIND $incomplete AS did
MATCH (a:Actor {did: did})<-[s:SAW]-(r:IngestRun)
WHERE r.id = $runId
SET s.followsDone = true, s.followsComplete = false`;

const RUN = `
MATCH (r:IngestRun {id: $runId})
SET r += $counters, r.heartbeatAt = datetime(),
    r.checkpoint = CASE WHEN $checkpoint IS NULL THEN r.checkpoint ELSE $checkpoint END`;

export async function writeIngestBatch(tx: ManagedTransaction, b: IngestBatch): Promise<void> {
  const base = { runId: b.runId, hashtag: b.hashtag, stamp: b.stamp };
  if (b.members.length) await tx.run(MEMBERS, { ...base, members: b.members, maxCoTags: MAX_CO_TAGS });
  if (b.newMembers.length) await tx.run(SAW, { ...base, newMembers: b.newMembers });
  if (b.profiles.length || b.profilesMissing.length) await tx.run(PROFILES, { ...base, profiles: b.profiles, missing: b.profilesMissing });
  if (b.targets.length) await tx.run(TARGETS, { targets: b.targets });
  if (b.targetsMissing.length) await tx.run(TARGETS_MISSING, { missing: b.targetsMissing });
  if (b.edges.length) await tx.run(EDGES, { ...base, groups: groupBySource(b.edges) });
  if (b.recordEdges.length) await tx.run(RECORD_EDGES, { ...base, groups: groupRecords(b.recordEdges) });
  if (b.completed.length) await tx.run(COMPLETED, { ...base, completed: b.completed });
  if (b.incomplete.length) await tx.run(INCOMPLETE, { ...base, incomplete: b.incomplete });
  await tx.run(RUN, { runId: b.runId, counters: b.counters, checkpoint: b.checkpoint });
  // Nothing above commits unless the lease is still this run's. Checked after the run node (the
  // lock order of ingest-runs.ts: run node, then lease), so it never deadlocks a heartbeat.
  await assertLease(tx, b.lease);
  // The graph changed: caches and the read model keyed on the version must not answer for it.
  // Bumped last, after every other lock this transaction takes (see graph-version.ts).
  if (b.members.length || b.newMembers.length || b.profiles.length || b.profilesMissing.length || b.targets.length || b.targetsMissing.length || b.edges.length || b.recordEdges.length) {
    await bumpGraphVersion(tx);
  }
}

/** One index seek per source instead of one per edge: pages arrive grouped by member anyway. */
function groupBySource(edges: Array<[string, string]>): Array<{ source: string; targets: string[] }> {
  const groups = new Map<string, string[]>();
  for (const [source, target] of edges) {
    const list = groups.get(source);
    if (list) list.push(target);
    else groups.set(source, [target]);
  }
  return [...groups].map(([source, targets]) => ({ source, targets }));
}

function groupRecords(edges: readonly FollowRecordEdge[]): Array<{ source: string; records: Array<{ subject: string; rkey: string; createdAt: string | null }> }> {
  const groups = new Map<string, Array<{ subject: string; rkey: string; createdAt: string | null }>>();
  for (const { source, subject, rkey, createdAt } of edges) {
    const list = groups.get(source) ?? [];
    list.push({ subject, rkey, createdAt });
    groups.set(source, list);
  }
  return [...groups].map(([source, records]) => ({ source, records }));
}

/** Followed accounts of the hashtag's members that have no profile yet (repo mode's bare nodes). */
export async function unprofiledTargets(db: GraphDatabase, hashtag: string): Promise<string[]> {
  const rows = await db.read<{ did: string }>(
    `MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(:Actor)-[:FOLLOWS]->(b:Actor)
     WHERE b.handle IS NULL AND b.profileMissing IS NULL
     RETURN DISTINCT b.did AS did`,
    { hashtag },
  );
  return rows.map((r) => r.did);
}

/** What a finalise would delete, measured before anything is deleted. */
export interface PrunePlan {
  readonly membersBefore: number;
  readonly membersRemoved: number;
  readonly followsBefore: number;
  /** Unseen edges of members whose follow lists this run read completely (unfollows). */
  readonly followsStale: number;
  /** Edges of leavers that are members of no hashtag any more (their lists would never refresh). */
  readonly followsOfLeavers: number;
}

export class ShrinkRefusedError extends CodedError {
  readonly code = 'SHRINK_REFUSED';
  constructor(readonly plan: PrunePlan, readonly maxShare: number) {
    const pct = (n: number, d: number) => `${d === 0 ? 0 : Math.round((1000 * n) / d) / 10}%`;
    const follows = plan.followsStale + plan.followsOfLeavers;
    super(
      `refusing to prune: this run would remove ${plan.membersRemoved} of ${plan.membersBefore} members (${pct(plan.membersRemoved, plan.membersBefore)}) ` +
        `and ${follows} of ${plan.followsBefore} follows (${pct(follows, plan.followsBefore)}), more than the allowed ${Math.round(maxShare * 100)}%; ` +
        'nothing was deleted. If the community really shrank, run again with --allow-shrink (GraphQL: allowShrink: true)',
    );
  }
}

const PLAN = `
OPTIONAL MATCH (h:Hashtag {name: $hashtag})
CALL (h) {
  OPTIONAL MATCH (m:Actor)-[p:POSTED_WITH]->(h)
  RETURN count(m) AS membersBefore,
         count(CASE WHEN $pruneMembers AND p.runId <> $runId THEN 1 END) AS membersRemoved,
         collect(CASE WHEN $pruneMembers AND p.runId <> $runId THEN m END) AS leavers
}
CALL (h) {
  OPTIONAL MATCH (m:Actor)-[:POSTED_WITH]->(h)
  OPTIONAL MATCH (m)-[f:FOLLOWS]->()
  RETURN count(f) AS followsBefore
}
CALL () {
  MATCH (r:IngestRun {id: $runId})-[s:SAW {followsComplete: true}]->(a:Actor)-[f:FOLLOWS]->()
  WHERE f.seenAt < $stamp
  RETURN count(f) AS followsStale
}
CALL (leavers) {
  UNWIND leavers AS a
  WITH a WHERE NOT EXISTS { (a)-[p:POSTED_WITH]->(o:Hashtag) WHERE o.name <> $hashtag }
  OPTIONAL MATCH (a)-[f:FOLLOWS]->()
  RETURN count(f) AS followsOfLeavers
}
RETURN membersBefore, membersRemoved, followsBefore, followsStale, followsOfLeavers`;

// The search saw every post: its tallies are the members' counts now.
const SETTLE_POSTS = `
MATCH (:Hashtag {name: $hashtag})<-[p:POSTED_WITH {runId: $runId}]-(:Actor)
SET p.posts = p.runPosts, p.firstAt = p.runFirstAt, p.lastAt = p.runLastAt`;

const DELETE_STALE = `
MATCH (r:IngestRun {id: $runId})-[s:SAW {followsComplete: true}]->(a:Actor)
CALL (a) {
  MATCH (a)-[f:FOLLOWS]->() WHERE f.seenAt < $stamp
  DELETE f
}`;

/** After a complete, unbounded search: members who no longer post the tag leave the community. */
// An actor who is no longer a member of any hashtag is only a follow target now: its own follow
// list would never be refreshed again, so it goes (unfollows must not linger).
const PRUNE_MEMBERS = `
MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag})
WHERE p.runId <> $runId
DELETE p
WITH collect(a) AS leavers, count(p) AS removed
CALL (leavers) {
  UNWIND leavers AS a
  WITH a WHERE NOT (a)-[:POSTED_WITH]->(:Hashtag)
  SET a.followsFetchedAt = null
  WITH a
  MATCH (a)-[f:FOLLOWS]->()
  DELETE f
}
RETURN removed`;

const COUNTS = `
MATCH (h:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(m:Actor)
WITH collect(m) AS members
CALL (members) {
  UNWIND members AS m
  OPTIONAL MATCH (m)-[:FOLLOWS]->(t:Actor)
  RETURN count(t) AS follows, collect(DISTINCT t) AS targets
}
CALL (members, targets) {
  UNWIND members + targets AS x
  RETURN count(DISTINCT x) AS actors
}
RETURN size(members) AS members, follows, actors`;

export interface FinaliseArgs {
  readonly lease: Lease;
  readonly runId: string;
  readonly hashtag: string;
  readonly stamp: number;
  /** The search ran unbounded to its end and found posts: evidence enough to drop non-members. */
  readonly pruneMembers: boolean;
  /** Largest share of members or follows a prune may remove (0..1) unless `allowShrink`. */
  readonly maxShrink: number;
  readonly allowShrink: boolean;
}

export interface FinaliseResult {
  readonly members: number;
  readonly follows: number;
  readonly actors: number;
  readonly removedMembers: number;
  readonly removedFollows: number;
}

/**
 * The run's deletions, all or nothing, after it proved its lease: unfollows of completely read
 * members, then members who no longer post the tag. Measured first; a prune larger than the
 * allowed share throws ShrinkRefusedError before anything is deleted.
 */
export async function finaliseHashtag(tx: ManagedTransaction, args: FinaliseArgs): Promise<FinaliseResult> {
  const params = { runId: args.runId, hashtag: args.hashtag, stamp: args.stamp, pruneMembers: args.pruneMembers };
  const row = (await tx.run(PLAN, params)).records[0]!;
  const plan: PrunePlan = {
    membersBefore: Number(row.get('membersBefore')),
    membersRemoved: Number(row.get('membersRemoved')),
    followsBefore: Number(row.get('followsBefore')),
    followsStale: Number(row.get('followsStale')),
    followsOfLeavers: Number(row.get('followsOfLeavers')),
  };
  const followsRemoved = plan.followsStale + plan.followsOfLeavers;
  const tooMany = plan.membersRemoved > args.maxShrink * plan.membersBefore || followsRemoved > args.maxShrink * plan.followsBefore;
  if (tooMany && !args.allowShrink) throw new ShrinkRefusedError(plan, args.maxShrink);
  if (plan.followsStale > 0) await tx.run(DELETE_STALE, params);
  if (args.pruneMembers && plan.membersRemoved > 0) await tx.run(PRUNE_MEMBERS, params);
  if (args.pruneMembers) await tx.run(SETTLE_POSTS, params);
  const counts = (await tx.run(COUNTS, params)).records[0];
  // The deletions above commit only if this run still holds the lease (see assertLease).
  await assertLease(tx, args.lease);
  return {
    members: Number(counts?.get('members') ?? 0),
    follows: Number(counts?.get('follows') ?? 0),
    actors: Number(counts?.get('actors') ?? 0),
    removedMembers: plan.membersRemoved,
    removedFollows: followsRemoved,
  };
}
