/**
 * IngestRun nodes: lifecycle, counters and the checkpoint a killed run resumes from. Every change
 * of who writes a hashtag (start, resume, takeover of a dead run, the end of a run) happens in the
 * same transaction as the lease change it depends on (see ingest-lease.ts).
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';
import { bumpGraphVersion } from './graph-version.js';
import { isOneOf } from '../core/vocabulary.js';
import type { FollowsFrom } from '../core/follows-source.js';
import { EMPTY_COUNTERS, INGEST_STAGES, INGEST_STATUSES, type IngestCounters, type IngestRunRecord, type IngestStage, type IngestStatus } from '../core/ingest-run.js';
import { assertLease, grantLease, LeaseLostError, lockLease, releaseLease, type Lease } from './ingest-lease.js';

export interface NewRun {
  readonly id: string;
  readonly hashtag: string;
  readonly stamp: number;
  readonly owner: string;
  readonly maxPosts: number | null;
  readonly since: string | null;
  readonly until: string | null;
  readonly allowShrink: boolean;
  readonly followsFrom: FollowsFrom;
  /** What was crawled: the service URL, or a label such as the demo's devnet seed and size. */
  readonly source: string;
}

export interface StoredRun extends IngestRunRecord {
  readonly stamp: number;
  readonly owner: string | null;
  readonly checkpoint: string | null;
  /** Last batch committed by the run's process. */
  readonly heartbeatAt: string | null;
  readonly allowShrink: boolean;
  readonly source: string | null;
}

const COUNTER_KEYS = Object.keys(EMPTY_COUNTERS) as Array<keyof IngestCounters>;

const CREATE = `
CREATE (r:IngestRun {id: $id, hashtag: $hashtag, stamp: $stamp, owner: $owner, status: 'RUNNING', stage: 'SEARCH',
  startedAt: datetime(), finishedAt: null, error: null, maxPosts: $maxPosts, since: $since, until: $until, checkpoint: null,
  allowShrink: $allowShrink, followsFrom: $followsFrom, source: $source, removedMembers: 0, removedFollows: 0})
SET r += $counters
RETURN r`;

/** A decision about the lease: granted (with the run it now covers) or refused, and why. */
export type LeaseDecision =
  | { readonly granted: true; readonly run: StoredRun; readonly lease: Lease }
  | { readonly granted: false; readonly reason: 'busy'; readonly hashtag: string; readonly holder: string }
  | { readonly granted: false; readonly reason: 'superseded'; readonly newer: string }
  | { readonly granted: false; readonly reason: 'finished'; readonly status: IngestStatus }
  | { readonly granted: false; readonly reason: 'missing' };

// A holder whose lease lapsed stopped heartbeating: its process is gone (kill -9, a lost host, a
// container restarted with the same pid). It ends FAILED, and stays resumable if it is the latest.
const INTERRUPT = `
MATCH (r:IngestRun {id: $id}) WHERE r.status = 'RUNNING'
SET r.status = 'FAILED', r.error = 'interrupted: its process stopped heartbeating', r.finishedAt = datetime()`;

async function takeLease(tx: ManagedTransaction, hashtag: string, holder: string, ttlMs: number): Promise<Lease | { busy: string }> {
  const state = await lockLease(tx, hashtag);
  if (!state.expired) return { busy: state.holder! };
  if (state.holder && state.holder !== holder) await tx.run(INTERRUPT, { id: state.holder });
  return grantLease(tx, hashtag, holder, ttlMs);
}

/** Creates a run holding its hashtag's lease, atomically: of N concurrent starts exactly one wins. */
export async function createLeasedRun(db: GraphDatabase, run: NewRun, ttlMs: number): Promise<LeaseDecision> {
  return db.writeTx(async (tx) => {
    const lease = await takeLease(tx, run.hashtag, run.id, ttlMs);
    if ('busy' in lease) return { granted: false, reason: 'busy', hashtag: run.hashtag, holder: lease.busy };
    const result = await tx.run(CREATE, { ...run, counters: { ...EMPTY_COUNTERS } });
    return { granted: true, run: toRun(result.records[0]!.get('r').properties), lease };
  });
}

const NEWER = `
MATCH (r:IngestRun {id: $id})
OPTIONAL MATCH (n:IngestRun {hashtag: r.hashtag}) WHERE n.startedAt > r.startedAt
RETURN r, n.id AS newer ORDER BY n.startedAt DESC LIMIT 1`;

const REOPEN = `
MATCH (r:IngestRun {id: $id})
SET r.status = 'RUNNING', r.error = null, r.owner = $owner, r.finishedAt = null, r.cancelRequested = null,
    r.allowShrink = coalesce($allowShrink, r.allowShrink)
RETURN r`;

/**
 * Reopens a stopped run under a fresh lease. Only the newest run of a hashtag may resume: an older
 * one's checkpoint predates the graph a newer run left, and its prune would undo that run.
 */
export async function reopenLeasedRun(db: GraphDatabase, id: string, owner: string, ttlMs: number, allowShrink?: boolean): Promise<LeaseDecision> {
  return db.writeTx(async (tx) => {
    const found = (await tx.run(NEWER, { id })).records[0];
    if (!found) return { granted: false, reason: 'missing' };
    const stored = toRun(found.get('r').properties);
    const newer = found.get('newer') as string | null;
    if (newer) return { granted: false, reason: 'superseded', newer };
    if (stored.status === 'SUCCEEDED') return { granted: false, reason: 'finished', status: stored.status };
    const lease = await takeLease(tx, stored.hashtag, id, ttlMs);
    if ('busy' in lease) return { granted: false, reason: 'busy', hashtag: stored.hashtag, holder: lease.busy };
    const result = await tx.run(REOPEN, { id, owner, allowShrink: allowShrink ?? null });
    return { granted: true, run: toRun(result.records[0]!.get('r').properties), lease };
  });
}

export type CancelOutcome = 'cancelled' | 'requested' | 'not-running';

const CANCEL_DEAD = `
MATCH (r:IngestRun {id: $id}) WHERE r.status = 'RUNNING'
SET r.status = 'CANCELLED', r.error = 'cancelled after its process stopped', r.finishedAt = datetime()`;

const REQUEST_CANCEL = `MATCH (r:IngestRun {id: $id}) SET r.cancelRequested = true`;

/**
 * Cancels a run this process does not drive: a live holder is asked to stop (it reads the request
 * at its next heartbeat); a run whose lease lapsed is cancelled here and its lease freed.
 */
export async function cancelForeignRun(db: GraphDatabase, id: string, hashtag: string): Promise<CancelOutcome> {
  return db.writeTx(async (tx) => {
    // The run node first, then the lease (the lock order of the holder's own transactions).
    const run = await tx.run('MATCH (r:IngestRun {id: $id}) SET r.cancelCheckedAt = datetime() RETURN r.status AS status', { id });
    const state = await lockLease(tx, hashtag);
    if (run.records[0]?.get('status') !== 'RUNNING') return 'not-running';
    if (state.holder === id && !state.expired) {
      await tx.run(REQUEST_CANCEL, { id });
      return 'requested';
    }
    await tx.run(CANCEL_DEAD, { id });
    if (state.holder === id) await releaseLease(tx, { hashtag, holder: id, token: state.token });
    return 'cancelled';
  });
}

export interface Heartbeat {
  readonly held: boolean;
  readonly cancelRequested: boolean;
}

/** The holder's heartbeat: extends the lease and reads whether someone asked the run to stop. */
// Lock order, everywhere a run's transaction touches both: its IngestRun node first, then the
// lease. A batch locks the run node early (its SAW relationships) and proves the lease last; a
// heartbeat or stage change taking them the other way round would deadlock with it, and the
// retry's back-off could outlast a short lease.

export async function heartbeat(db: GraphDatabase, lease: Lease): Promise<Heartbeat> {
  try {
    return await db.writeTx(async (tx) => {
      const rows = await tx.run('MATCH (r:IngestRun {id: $id}) SET r.heartbeatAt = datetime() RETURN r.cancelRequested AS c', { id: lease.holder });
      await assertLease(tx, lease);
      return { held: true, cancelRequested: rows.records[0]?.get('c') === true };
    }, 30_000);
  } catch (err) {
    if (err instanceof LeaseLostError) return { held: false, cancelRequested: false };
    throw err;
  }
}

export async function getRun(db: GraphDatabase, id: string): Promise<StoredRun | null> {
  const rows = await db.read<{ r: { properties: Record<string, unknown> } }>('MATCH (r:IngestRun {id: $id}) RETURN r', { id });
  return rows[0] ? toRun(rows[0].r.properties) : null;
}

export async function listRuns(db: GraphDatabase, first: number, hashtag?: string): Promise<StoredRun[]> {
  const rows = await db.read<{ r: { properties: Record<string, unknown> } }>(
    `MATCH (r:IngestRun) WHERE $hashtag IS NULL OR r.hashtag = $hashtag
     RETURN r ORDER BY r.startedAt DESC, r.id LIMIT toInteger($first)`,
    { first, hashtag: hashtag ?? null },
  );
  return rows.map((row) => toRun(row.r.properties));
}

export interface RunPatch {
  readonly status?: IngestStatus;
  readonly stage?: IngestStage;
  readonly error?: string | null;
  readonly finished?: boolean;
  readonly owner?: string;
  readonly counters?: Partial<IngestCounters>;
  /** What the run deleted when it finalised. */
  readonly removed?: { readonly members: number; readonly follows: number };
}

const UPDATE = `
MATCH (r:IngestRun {id: $id})
SET r += $props, r.finishedAt = CASE WHEN $finished THEN datetime() ELSE r.finishedAt END
RETURN r`;

/** Changes the run as its lease holder: nothing is written unless `lease` is still held. */
export async function updateRun(db: GraphDatabase, lease: Lease, patch: RunPatch): Promise<StoredRun> {
  return db.writeTx(async (tx) => {
    const run = await patchRun(tx, lease.holder, patch);
    // Proven before commit: a run that lost its lease changes nothing (the patch rolls back).
    await assertLease(tx, lease);
    return run;
  });
}

/**
 * Records the end of a run and gives its lease back, in one transaction. A run that lost its lease
 * (taken over after a missed heartbeat) records nothing: the taker already ended it.
 */
export async function finishRun(db: GraphDatabase, lease: Lease, patch: RunPatch): Promise<StoredRun | null> {
  try {
    return await db.writeTx(async (tx) => {
      const run = await patchRun(tx, lease.holder, { ...patch, finished: true });
      if (!(await releaseLease(tx, lease))) throw new LeaseLostError(lease); // rolls the patch back
      // A success changes what `hashtags` reports (lastIngestAt): readers keyed on the version must see it.
      if (patch.status === 'SUCCEEDED') await bumpGraphVersion(tx);
      return run;
    });
  } catch (err) {
    if (err instanceof LeaseLostError) return null;
    throw err;
  }
}

async function patchRun(tx: ManagedTransaction, id: string, patch: RunPatch): Promise<StoredRun> {
  const props: Record<string, unknown> = { ...(patch.counters ?? {}) };
  if (patch.status) props.status = patch.status;
  if (patch.stage) props.stage = patch.stage;
  if (patch.error !== undefined) props.error = patch.error;
  if (patch.owner !== undefined) props.owner = patch.owner;
  if (patch.removed) {
    props.removedMembers = patch.removed.members;
    props.removedFollows = patch.removed.follows;
  }
  const result = await tx.run(UPDATE, { id, props, finished: patch.finished === true });
  if (!result.records[0]) throw new Error(`IngestRun ${id} vanished`);
  return toRun(result.records[0].get('r').properties);
}

/** Members the run already knows, and which of their stages are still owed (resume). */
export async function runMemberProgress(
  db: GraphDatabase,
  runId: string,
): Promise<{ members: string[]; profilesPending: string[]; followsPending: string[] }> {
  const rows = await db.read<{ did: string; profileDone: boolean; followsDone: boolean }>(
    `MATCH (:IngestRun {id: $runId})-[s:SAW]->(a:Actor)
     RETURN a.did AS did, coalesce(s.profileDone, false) AS profileDone, coalesce(s.followsDone, false) AS followsDone
     ORDER BY s.order`,
    { runId },
    300_000,
  );
  return {
    members: rows.map((r) => r.did),
    profilesPending: rows.filter((r) => !r.profileDone).map((r) => r.did),
    followsPending: rows.filter((r) => !r.followsDone).map((r) => r.did),
  };
}

// A value outside the vocabulary is a node written by another version of the code: say so, instead of
// passing an unknown enum value on to GraphQL, which would fail the whole response.
function stored<T extends string>(values: readonly T[], value: unknown, field: string): T {
  if (isOneOf(values, value)) return value;
  throw new Error(`IngestRun.${field} holds ${JSON.stringify(value)}, not one of ${values.join(', ')}`);
}

function toRun(p: Record<string, unknown>): StoredRun {
  const counters = {} as IngestCounters;
  for (const key of COUNTER_KEYS) counters[key] = Number(p[key] ?? 0);
  return {
    id: String(p.id),
    hashtag: String(p.hashtag),
    status: stored(INGEST_STATUSES, p.status, 'status'),
    stage: stored(INGEST_STAGES, p.stage, 'stage'),
    startedAt: iso(p.startedAt)!,
    finishedAt: iso(p.finishedAt),
    error: (p.error as string | null) ?? null,
    maxPosts: p.maxPosts == null ? null : Number(p.maxPosts),
    since: (p.since as string | null) ?? null,
    until: (p.until as string | null) ?? null,
    counters,
    stamp: Number(p.stamp),
    owner: (p.owner as string | null) ?? null,
    checkpoint: (p.checkpoint as string | null) ?? null,
    heartbeatAt: iso(p.heartbeatAt),
    allowShrink: p.allowShrink === true,
    // Runs stored before the choice was per run read follows from the AppView.
    followsFrom: p.followsFrom === 'repo' ? 'repo' : 'appview',
    source: (p.source as string | null) ?? null,
    removedMembers: Number(p.removedMembers ?? 0),
    removedFollows: Number(p.removedFollows ?? 0),
  };
}

function iso(value: unknown): string | null {
  if (value == null) return null;
  const s = String(value); // neo4j DateTime → ISO 8601 with offset
  const d = new Date(s.replace(/\[.*\]$/, ''));
  return Number.isNaN(d.getTime()) ? s : d.toISOString();
}
