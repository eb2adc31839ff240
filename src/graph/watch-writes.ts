/**
 * The live watcher's writes: a batch of stream changes and the stream cursor that covers them, in
 * one transaction under the hashtag's lease, so a watcher killed at any instant resumes from a
 * cursor whose changes are all in the graph (and replays, idempotently, those after it).
 *
 * The watcher holds the lease for one transaction at a time: each of its transactions first locks
 * the lease node and goes on only if no ingest holds it (LeaseBusyError otherwise), and the lock,
 * kept to commit, keeps any ingest from being granted meanwhile. Between batches the lease is free,
 * so an ingest can always start; while one runs, the watcher's batches wait (see hashtag-watcher.ts).
 * Taking the lease lock first cannot deadlock with an ingest: an ingest takes data locks only while
 * it holds the lease, and then this transaction stops at the lease before touching any data.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';
import { bumpGraphVersion } from './graph-version.js';
import { CodedError } from '../core/errors.js';
import { lockLease } from './ingest-lease.js';

/** One change from the stream, already reduced to what the graph keeps. */
export type WatchChange =
  | { readonly kind: 'follow'; readonly did: string; readonly rkey: string; readonly subject: string; readonly createdAt: string | null }
  | { readonly kind: 'unfollow'; readonly did: string; readonly rkey: string }
  | { readonly kind: 'profile'; readonly did: string; readonly displayName: string | null; readonly description: string | null }
  | { readonly kind: 'handle'; readonly did: string; readonly handle: string | null }
  /** A post carrying the hashtag: the author is (now) a member. */
  | { readonly kind: 'post'; readonly did: string; readonly at: string }
  | { readonly kind: 'account'; readonly did: string; readonly active: boolean; readonly status: string | null };

export interface WatchBatch {
  readonly hashtag: string;
  /**
   * Per stream (Jetstream's members' and posts subscriptions, or the firehose), the position up to
   * which it has delivered every event this batch and the ones before it hold.
   */
  readonly cursors: WatchCursors;
  readonly changes: readonly WatchChange[];
  /**
   * Report the FOLLOWS created (someone subscribes to graphChanges). Off, the merge skips the
   * per-follow existence check: a third faster on a backlog (bench/watch-fold.ts).
   */
  readonly reportAdded?: boolean;
  /** Members owed a re-read for reasons outside this batch (a gap), to be recorded with it. */
  readonly owe?: readonly string[];
}

export interface WatchBatchResult {
  /** Deletes whose rkey no edge carries (e.g. an edge crawled through the AppView): re-read those members. */
  readonly unknownDeletes: ReadonlyArray<{ did: string; rkey: string }>;
  /** Authors who became members with this batch (their profiles and follows are still to crawl). */
  readonly newMembers: readonly string[];
  /** FOLLOWS this batch created (only with reportAdded), and the ones it deleted, as [source, target] DIDs. */
  readonly followsAdded: ReadonlyArray<readonly [string, string]>;
  readonly followsRemoved: ReadonlyArray<readonly [string, string]>;
  /** Members whose re-read was put off until they were active again, and who now are: owed now. */
  readonly reactivated: readonly string[];
}

export class LeaseBusyError extends CodedError {
  readonly code = 'LEASE_BUSY';
  constructor(
    readonly hashtag: string,
    readonly holder: string,
  ) {
    super(`#${hashtag} is being written by ${holder}; the watcher waits`);
  }
}

/** Locks the hashtag's lease for this transaction; throws LeaseBusyError if an ingest holds it. */
async function claimFreeLease(tx: ManagedTransaction, hashtag: string): Promise<void> {
  const state = await lockLease(tx, hashtag);
  if (state.holder !== null && !state.expired) throw new LeaseBusyError(hashtag, state.holder);
}

/**
 * Where each stream resumes: Jetstream's members' and posts subscriptions by event time (µs), the
 * firehose by sequence number on the service named beside it. A watcher stores only its own.
 */
export interface WatchCursors {
  readonly members?: number;
  readonly posts?: number;
  readonly firehose?: number;
  readonly firehoseService?: string;
}

// Jetstream's cursors only move forward (a replay from a rewound cursor must not move them back).
// The firehose's is set as given: after the service was reset (FutureCursor) it starts lower.
const CURSOR = `
MERGE (w:WatchState {hashtag: $hashtag})
SET w.membersCursorUs = CASE WHEN $members IS NULL OR w.membersCursorUs > $members THEN w.membersCursorUs ELSE $members END,
    w.postsCursorUs = CASE WHEN $posts IS NULL OR w.postsCursorUs > $posts THEN w.postsCursorUs ELSE $posts END,
    w.firehoseSeq = coalesce($firehose, w.firehoseSeq),
    w.firehoseService = CASE WHEN $firehose IS NULL THEN w.firehoseService ELSE $firehoseService END,
    w.updatedAt = datetime()`;

const READ_CURSOR = `
MATCH (w:WatchState {hashtag: $hashtag})
RETURN w.membersCursorUs AS members, w.postsCursorUs AS posts, w.firehoseSeq AS firehose, w.firehoseService AS firehoseService`;

// A follow record is immutable and its rkey unique in its repo: MERGE on the pair, and keep the
// first record's rkey when a member follows someone twice (the second delete then looks unknown,
// and the re-read of that member settles it exactly).
// A record may name a deleted account, or come late from one; the graph, like the AppView, shows
// no edge to or from it. The tombstone holds also for accounts the graph did not know when they
// were deleted (Jetstream's two streams are not in step: a deletion on one may precede on the
// other a follow made before it).
const FOLLOWS = `
UNWIND $follows AS f
MATCH (a:Actor {did: f.did})
WHERE NOT EXISTS { (:DeletedAccount {did: f.subject}) } AND NOT EXISTS { (:DeletedAccount {did: f.did}) }
MERGE (b:Actor {did: f.subject})
WITH a, b, f WHERE coalesce(b.accountStatus, '') <> 'deleted'
MERGE (a)-[e:FOLLOWS]->(b)
SET e.rkey = coalesce(e.rkey, f.rkey), e.createdAt = coalesce(e.createdAt, f.createdAt), e.seenAt = timestamp()`;

// The same merge, returning the edges it created (for graphChanges subscribers).
const FOLLOWS_REPORTING = `
UNWIND $follows AS f
MATCH (a:Actor {did: f.did})
WHERE NOT EXISTS { (:DeletedAccount {did: f.subject}) } AND NOT EXISTS { (:DeletedAccount {did: f.did}) }
MERGE (b:Actor {did: f.subject})
WITH a, b, f WHERE coalesce(b.accountStatus, '') <> 'deleted'
WITH a, b, f, EXISTS { (a)-[:FOLLOWS]->(b) } AS already
MERGE (a)-[e:FOLLOWS]->(b)
SET e.rkey = coalesce(e.rkey, f.rkey), e.createdAt = coalesce(e.createdAt, f.createdAt), e.seenAt = timestamp()
WITH a, b, already WHERE NOT already
RETURN a.did AS source, b.did AS target`;

const UNFOLLOWS = `
UNWIND $unfollows AS u
OPTIONAL MATCH (:Actor {did: u.did})-[e:FOLLOWS {rkey: u.rkey}]->(b:Actor)
WITH u, collect(e) AS edges, collect(b.did) AS targets
FOREACH (e IN edges | DELETE e)
RETURN u.did AS did, u.rkey AS rkey, targets`;

const MEMBERS = `
MERGE (h:Hashtag {name: $hashtag})
WITH h
UNWIND $posts AS p
WITH h, p WHERE NOT EXISTS { (:DeletedAccount {did: p.did}) }
MERGE (a:Actor {did: p.did})
WITH h, a, p, EXISTS { (a)-[:POSTED_WITH]->(h) } AS already
MERGE (a)-[m:POSTED_WITH]->(h)
ON CREATE SET m.posts = 1, m.firstAt = p.at, m.lastAt = p.at, m.createdBy = 'watch'
// Post tallies come from crawls (searchPosts): a replayed event must not count twice.
SET m.firstAt = CASE WHEN m.firstAt < p.at THEN m.firstAt ELSE p.at END,
    m.lastAt = CASE WHEN m.lastAt > p.at THEN m.lastAt ELSE p.at END
WITH a, m, already WHERE NOT already
// Its follows are still to read: owed, and recorded with the cursor that passes its post.
SET m.rereadOwed = true
RETURN a.did AS did`;

// Re-reads the watcher owes (a new member, a delete no edge carries, a gap) and those put off until
// an account is active again are marks on the membership, written in the transaction whose cursor
// passes the event that caused them: a watcher killed before it reads the repository (its memory
// gone, the event behind the cursor it resumes from) still owes the read after a restart.
const MARK_OWED = `
UNWIND $dids AS did
MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(:Actor {did: did})
SET m.rereadOwed = true`;

const REACTIVATED = `
UNWIND $dids AS did
MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(:Actor {did: did})
WHERE m.rereadWhenActive
SET m.rereadOwed = true
REMOVE m.rereadWhenActive
RETURN did`;

const SETTLE_REREADS = `
CALL () {
  UNWIND $read AS did
  MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(:Actor {did: did})
  REMOVE m.rereadOwed, m.rereadWhenActive
}
CALL () {
  UNWIND $unreadable AS did
  MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(:Actor {did: did})
  SET m.rereadWhenActive = true
  REMOVE m.rereadOwed
}
CALL () {
  UNWIND $owe AS did
  MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(:Actor {did: did})
  SET m.rereadOwed = true
}`;

const READ_REREADS = `
MATCH (:Hashtag {name: $hashtag})<-[m:POSTED_WITH]-(a:Actor)
WHERE m.rereadOwed OR m.rereadWhenActive
RETURN a.did AS did, coalesce(m.rereadOwed, false) AS owed`;

const PROFILES = `
UNWIND $profiles AS p
MATCH (a:Actor {did: p.did})
SET a.displayName = p.displayName, a.description = p.description`;

const HANDLES = `
UNWIND $handles AS h
MATCH (a:Actor {did: h.did})
SET a.handle = h.handle`;

// The documented account policy (README): a deleted account leaves the graph's edges and
// memberships (the AppView drops it from every list) but keeps its node, marked; a deactivated one
// is only marked, since reactivation brings everything back; reactivation clears the mark.
const ACCOUNTS = `
UNWIND $accounts AS x
FOREACH (_ IN CASE WHEN x.status = 'deleted' THEN [1] ELSE [] END | MERGE (:DeletedAccount {did: x.did}))
WITH x
MATCH (a:Actor {did: x.did})
SET a.accountStatus = CASE WHEN x.active THEN null ELSE coalesce(x.status, 'inactive') END, a.accountChangedAt = datetime()
WITH a, x WHERE x.status = 'deleted'
OPTIONAL MATCH (a)-[r:FOLLOWS|POSTED_WITH]-()
DELETE r`;

/**
 * Applies one batch. Within it, a follow record's last operation wins (a create then a delete of
 * one rkey is a delete), deletes go before creates, a profile's and a handle's last value wins,
 * and accounts go last.
 */
export async function applyWatchBatch(tx: ManagedTransaction, batch: WatchBatch): Promise<WatchBatchResult> {
  const records = new Map<string, WatchChange & { kind: 'follow' | 'unfollow' }>();
  const createdHere = new Set<string>();
  const profiles = new Map<string, WatchChange & { kind: 'profile' }>();
  const handles = new Map<string, WatchChange & { kind: 'handle' }>();
  const posts = new Map<string, { did: string; at: string }>();
  const accounts = new Map<string, WatchChange & { kind: 'account' }>();
  for (const c of batch.changes) {
    if (c.kind === 'follow' || c.kind === 'unfollow') {
      const key = `${c.did} ${c.rkey}`;
      records.set(key, c);
      if (c.kind === 'follow') createdHere.add(key);
    } else if (c.kind === 'profile') profiles.set(c.did, c);
    else if (c.kind === 'handle') handles.set(c.did, c);
    else if (c.kind === 'account') accounts.set(c.did, c);
    else {
      const seen = posts.get(c.did);
      posts.set(c.did, { did: c.did, at: seen && seen.at < c.at ? seen.at : c.at });
    }
  }
  await claimFreeLease(tx, batch.hashtag);
  const c = batch.cursors;
  await tx.run(CURSOR, { hashtag: batch.hashtag, members: c.members ?? null, posts: c.posts ?? null, firehose: c.firehose ?? null, firehoseService: c.firehoseService ?? null });
  const follows = [...records.values()].filter((c) => c.kind === 'follow');
  const unfollows = [...records.entries()].filter(([, c]) => c.kind === 'unfollow');
  const newMembers: string[] = [];
  if (posts.size) {
    const result = await tx.run(MEMBERS, { hashtag: batch.hashtag, posts: [...posts.values()] });
    for (const r of result.records) newMembers.push(String(r.get('did')));
  }
  // Deletes before creates. An edge is one per pair and carries one record's rkey, so a create
  // merged first would keep the old rkey on the edge and the delete of that old record (an
  // unfollow and a follow again, in one batch) would then remove the edge the new record stands for.
  const unknownDeletes: Array<{ did: string; rkey: string }> = [];
  const removed = new Map<string, readonly [string, string]>();
  if (unfollows.length) {
    const result = await tx.run(UNFOLLOWS, { unfollows: unfollows.map(([, c]) => ({ did: c.did, rkey: c.rkey })) });
    for (const r of result.records) {
      const did = String(r.get('did'));
      const rkey = String(r.get('rkey'));
      const targets = r.get('targets') as string[];
      for (const t of targets) removed.set(`${did} ${t}`, [did, t]);
      // Created and deleted within this batch: nothing unknown about it.
      if (targets.length === 0 && !createdHere.has(`${did} ${rkey}`)) unknownDeletes.push({ did, rkey });
    }
  }
  const owe = [...new Set([...(batch.owe ?? []), ...unknownDeletes.map((d) => d.did)])];
  if (owe.length) await tx.run(MARK_OWED, { hashtag: batch.hashtag, dids: owe });
  const followsAdded: Array<readonly [string, string]> = [];
  if (follows.length) {
    const result = await tx.run(batch.reportAdded ? FOLLOWS_REPORTING : FOLLOWS, { follows });
    for (const r of result.records) {
      const pair = [String(r.get('source')), String(r.get('target'))] as const;
      // Deleted and created again in one batch: the edge is still there, no change to report.
      if (removed.delete(`${pair[0]} ${pair[1]}`)) continue;
      followsAdded.push(pair);
    }
  }
  if (profiles.size) await tx.run(PROFILES, { profiles: [...profiles.values()] });
  if (handles.size) await tx.run(HANDLES, { handles: [...handles.values()] });
  const reactivated: string[] = [];
  if (accounts.size) {
    await tx.run(ACCOUNTS, { accounts: [...accounts.values()] });
    const active = [...accounts.values()].filter((a) => a.active).map((a) => a.did);
    if (active.length) reactivated.push(...(await tx.run(REACTIVATED, { hashtag: batch.hashtag, dids: active })).records.map((r) => String(r.get('did'))));
  }
  if (batch.changes.length) await bumpGraphVersion(tx);
  return { unknownDeletes, newMembers, followsAdded, followsRemoved: [...removed.values()], reactivated };
}

/** What became of owed re-reads, recorded in the transaction that writes what they read. */
export interface RereadOutcome {
  /** Read (their edges replaced in this transaction): no longer owed. */
  readonly read: readonly string[];
  /** Repository unreadable (deactivated, taken down): put off until the account is active again. */
  readonly unreadable: readonly string[];
  /** Owed for reasons not yet recorded (a gap). */
  readonly owe: readonly string[];
}

export async function settleRereads(tx: ManagedTransaction, hashtag: string, outcome: RereadOutcome): Promise<void> {
  if (!outcome.read.length && !outcome.unreadable.length && !outcome.owe.length) return;
  await claimFreeLease(tx, hashtag);
  await tx.run(SETTLE_REREADS, { hashtag, read: outcome.read, unreadable: outcome.unreadable, owe: outcome.owe });
}

/** The re-reads a watcher of `hashtag` owes, and those it put off until an account is active again. */
export async function readOwedRereads(db: GraphDatabase, hashtag: string): Promise<{ owed: string[]; deferred: string[] }> {
  const rows = await db.read<{ did: string; owed: boolean }>(READ_REREADS, { hashtag });
  return { owed: rows.filter((r) => r.owed).map((r) => r.did), deferred: rows.filter((r) => !r.owed).map((r) => r.did) };
}

/** Where the watcher of `hashtag` resumes each subscription; null before its first batch. */
export async function readWatchCursors(db: GraphDatabase, hashtag: string): Promise<WatchCursors | null> {
  const row = (await db.read<{ members: number | null; posts: number | null; firehose: number | null; firehoseService: string | null }>(READ_CURSOR, { hashtag }))[0];
  if (!row) return null;
  const cursors: WatchCursors = {
    ...(row.members !== null && row.posts !== null ? { members: Number(row.members), posts: Number(row.posts) } : {}),
    ...(row.firehose !== null && row.firehoseService !== null ? { firehose: Number(row.firehose), firehoseService: row.firehoseService } : {}),
  };
  return Object.keys(cursors).length ? cursors : null;
}

/** A member's complete list of follow records, read from its repo. */
export interface FollowRecordList {
  readonly did: string;
  /** The handle its DID document claims, when known. */
  readonly handle?: string | null;
  /** Its profile record, when read (a new member's display name and bio). */
  readonly profile?: { readonly displayName: string | null; readonly description: string | null } | null;
  readonly records: ReadonlyArray<{ rkey: string; subject: string; createdAt: string | null }>;
}

// Exact replacement from a complete list: edges to subjects no record names go, the rest carry the
// record's rkey and createdAt (the first record, when one subject is followed twice).
const REPLACE_FOLLOWS = `
UNWIND $lists AS l
MATCH (a:Actor {did: l.did})
CALL (a, l) {
  OPTIONAL MATCH (a)-[e:FOLLOWS]->(b:Actor)
  WHERE NOT b.did IN [r IN l.records | r.subject] OR b.accountStatus = 'deleted'
  DELETE e
}
CALL (a, l) {
  UNWIND l.records AS r
  WITH a, r.subject AS subject, collect(r)[0] AS first
  WHERE NOT EXISTS { (:DeletedAccount {did: subject}) }
  MERGE (b:Actor {did: subject})
  WITH a, b, first WHERE coalesce(b.accountStatus, '') <> 'deleted'
  MERGE (a)-[e:FOLLOWS]->(b)
  SET e.rkey = first.rkey, e.createdAt = first.createdAt, e.seenAt = timestamp()
}
SET a.followsFetchedAt = datetime(), a.handle = coalesce(l.handle, a.handle)
FOREACH (p IN CASE WHEN l.profile IS NULL THEN [] ELSE [l.profile] END |
  SET a.displayName = p.displayName, a.description = p.description)`;

const FOLLOWED_BY = `
UNWIND $dids AS did
MATCH (:Actor {did: did})-[:FOLLOWS]->(b:Actor)
RETURN did, b.did AS target`;

export interface ReplacedFollows {
  /** With `report`: the FOLLOWS the replacement created and deleted, as [source, target] DIDs. */
  readonly added: ReadonlyArray<readonly [string, string]>;
  readonly removed: ReadonlyArray<readonly [string, string]>;
}

/**
 * Replaces members' follows by their complete record lists, under the lease (the re-read of an
 * unknown delete, a new member, a gap). `report` also returns what changed (the members' edges
 * read before and after, in the same transaction), for graphChanges subscribers.
 */
export async function replaceFollowRecords(tx: ManagedTransaction, hashtag: string, lists: readonly FollowRecordList[], report = false): Promise<ReplacedFollows> {
  if (lists.length === 0) return { added: [], removed: [] };
  await claimFreeLease(tx, hashtag);
  const dids = lists.map((l) => l.did);
  const edges = async () => new Set((await tx.run(FOLLOWED_BY, { dids })).records.map((r) => `${String(r.get('did'))} ${String(r.get('target'))}`));
  const before = report ? await edges() : new Set<string>();
  await tx.run(REPLACE_FOLLOWS, { lists: lists.map((l) => ({ ...l, handle: l.handle ?? null, profile: l.profile ?? null })) });
  await bumpGraphVersion(tx);
  if (!report) return { added: [], removed: [] };
  const after = await edges();
  const pair = (e: string) => e.split(' ') as [string, string];
  return { added: [...after].filter((e) => !before.has(e)).map(pair), removed: [...before].filter((e) => !after.has(e)).map(pair) };
}

const MEMBER_DIDS = `MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor) RETURN a.did AS did`;

export async function readMemberDids(db: GraphDatabase, hashtag: string): Promise<string[]> {
  return (await db.read<{ did: string }>(MEMBER_DIDS, { hashtag })).map((r) => r.did);
}

const LAST_CRAWL_START = `
MATCH (r:IngestRun {hashtag: $hashtag}) WHERE r.status = 'SUCCEEDED'
RETURN r.startedAt.epochMillis AS startedMs ORDER BY startedMs DESC LIMIT 1`;

/** When the latest successful crawl of the hashtag started (ms), or null: where a first watch begins. */
export async function readLastCrawlStart(db: GraphDatabase, hashtag: string): Promise<number | null> {
  const rows = await db.read<{ startedMs: number }>(LAST_CRAWL_START, { hashtag });
  return rows[0] ? Number(rows[0].startedMs) : null;
}
