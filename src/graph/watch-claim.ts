/**
 * One watcher per hashtag, decided by Neo4j. Two watchers of one hashtag (a `bsky-graph watch` in a
 * terminal and a server's `startWatch`, say) would each replace a member's follows from repository
 * reads made at different moments, committed in either order: the older read could win and the
 * events after it be skipped as already read. So a `WatchClaim` node (unique on the hashtag) names
 * the watching process, an expiry on the server's clock, renewed by every watcher transaction and
 * by a heartbeat, and a fencing token that grows with every grant. Every watcher transaction proves
 * its token first (`assertWatchClaim`), so a watcher whose claim was taken over writes nothing.
 * Lock order: the claim, then the ingest lease (ingests never touch the claim): no deadlock.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { CodedError } from '../core/errors.js';
import type { GraphDatabase } from './database.js';

/** The process that watches: a fresh id per watcher, and where it runs (to tell a dead one). */
export interface WatchHolder {
  readonly id: string;
  readonly host: string;
  readonly pid: number;
}

export interface WatchClaim {
  readonly hashtag: string;
  readonly holder: WatchHolder;
  readonly token: number;
  readonly ttlMs: number;
}

export interface WatchClaimState {
  readonly holder: WatchHolder | null;
  /** The holder's claim lapsed (no renewal within the TTL), or it released it. */
  readonly expired: boolean;
  readonly expiresInMs: number;
}

/** Another watcher holds the hashtag (CONFLICT for the API, exit 1 for the CLI). */
export class WatchBusyError extends CodedError {
  readonly code = 'CONFLICT';
  constructor(
    readonly hashtag: string,
    readonly holder: WatchHolder,
    expiresInMs: number,
  ) {
    super(`#${hashtag} is already watched by pid ${holder.pid} on ${holder.host} (its claim lapses ${Math.ceil(expiresInMs / 1000)} s after its last renewal); stop that watcher first`);
  }
}

export class WatchClaimLostError extends CodedError {
  readonly code = 'WATCH_CLAIM_LOST';
  constructor(claim: WatchClaim) {
    super(`this watcher of #${claim.hashtag} lost its claim (token ${claim.token}) to another watcher; it stopped without writing`);
  }
}

// MERGE then a write: this transaction holds the node's lock, so the read below sees the last
// committed grant and no other grant interleaves.
const LOCK = `
MERGE (c:WatchClaim {hashtag: $hashtag})
ON CREATE SET c.token = 0, c.expiresAt = 0
SET c.lockedAt = timestamp()`;

const STATE = `
MATCH (c:WatchClaim {hashtag: $hashtag})
RETURN c.holderId AS id, c.holderHost AS host, c.holderPid AS pid, c.expiresAt < timestamp() AS expired, c.expiresAt - timestamp() AS expiresInMs`;

const GRANT = `
MATCH (c:WatchClaim {hashtag: $hashtag})
SET c.holderId = $id, c.holderHost = $host, c.holderPid = $pid, c.token = c.token + 1, c.expiresAt = timestamp() + $ttl, c.grantedAt = timestamp()
RETURN c.token AS token`;

/**
 * Grants the claim on `hashtag` to `holder` unless a live watcher holds it; `deadHolder` says
 * whether a holder that has not lapsed is known dead (same host, process gone): then it is taken over.
 */
export async function claimWatch(db: GraphDatabase, hashtag: string, holder: WatchHolder, ttlMs: number, deadHolder: (h: WatchHolder) => boolean): Promise<WatchClaim> {
  return db.writeTx(async (tx) => {
    await tx.run(LOCK, { hashtag });
    const row = (await tx.run(STATE, { hashtag })).records[0]!;
    const id = row.get('id') as string | null;
    if (id !== null && !(row.get('expired') as boolean)) {
      const current = { id, host: String(row.get('host')), pid: Number(row.get('pid')) };
      if (!deadHolder(current)) throw new WatchBusyError(hashtag, current, Number(row.get('expiresInMs')));
    }
    const granted = (await tx.run(GRANT, { hashtag, ...holder, ttl: ttlMs })).records[0]!;
    return { hashtag, holder, token: Number(granted.get('token')), ttlMs };
  }, undefined, 'watchClaim');
}

// Two statements, as for the ingest lease: the first takes the claim's lock, so the second reads the
// last committed grant (one MATCH … WHERE … SET could filter on a value read before the lock).
const LOCK_HELD = `
MATCH (c:WatchClaim {hashtag: $hashtag})
SET c.lockedAt = timestamp()`;

// A lapsed claim nobody took over is still this watcher's: the token is what fences.
const ASSERT = `
MATCH (c:WatchClaim {hashtag: $hashtag})
WHERE c.holderId = $id AND c.token = $token
SET c.expiresAt = timestamp() + $ttl
RETURN c.token AS token`;

/** Proves `claim` in a watcher's write transaction and extends it; WatchClaimLostError otherwise. */
export async function assertWatchClaim(tx: ManagedTransaction, claim: WatchClaim): Promise<void> {
  await tx.run(LOCK_HELD, { hashtag: claim.hashtag });
  const result = await tx.run(ASSERT, { hashtag: claim.hashtag, id: claim.holder.id, token: claim.token, ttl: claim.ttlMs });
  if (result.records.length === 0) throw new WatchClaimLostError(claim);
}

/** Renews the claim (a watcher with nothing to write still holds it). */
export async function renewWatchClaim(db: GraphDatabase, claim: WatchClaim): Promise<void> {
  await db.writeTx((tx) => assertWatchClaim(tx, claim), undefined, 'watchClaimRenew');
}

const RELEASE = `
MATCH (c:WatchClaim {hashtag: $hashtag})
WHERE c.holderId = $id AND c.token = $token
SET c.holderId = null, c.holderHost = null, c.holderPid = null, c.expiresAt = 0`;

/** Gives the claim back, if still held with this token. */
export async function releaseWatchClaim(db: GraphDatabase, claim: WatchClaim): Promise<void> {
  await db.writeTx(
    async (tx) => {
      await tx.run(LOCK_HELD, { hashtag: claim.hashtag });
      await tx.run(RELEASE, { hashtag: claim.hashtag, id: claim.holder.id, token: claim.token });
    },
    undefined,
    'watchClaimRelease',
  );
}

/** Who watches `hashtag` now (a claim not lapsed), or null. */
export async function readWatchClaim(db: GraphDatabase, hashtag: string): Promise<WatchClaimState | null> {
  const row = (await db.read<{ id: string | null; host: string | null; pid: number | null; expired: boolean; expiresInMs: number }>(STATE, { hashtag }))[0];
  if (!row || row.id === null) return null;
  return { holder: { id: row.id, host: String(row.host), pid: Number(row.pid) }, expired: row.expired, expiresInMs: Number(row.expiresInMs) };
}
