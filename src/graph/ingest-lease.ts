/**
 * One writer per hashtag, decided by Neo4j. An `IngestLease` node (unique on the hashtag) names
 * its holder (a run id), an expiry on the server's clock, and a fencing token that grows with every
 * grant. Taking the lease is one write transaction; every write of the holder first proves its
 * token (`assertLease`) inside its own transaction, so a writer that lost the lease writes nothing.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import { CodedError } from '../core/errors.js';

export interface Lease {
  readonly hashtag: string;
  readonly holder: string;
  readonly token: number;
  /** Each proof extends the lease by this much (INGEST_LEASE_TTL_MS, default 60 s). */
  readonly ttlMs: number;
}

/** How often a holder renews: four chances before the lease lapses. */
export function renewIntervalMs(lease: Pick<Lease, 'ttlMs'>): number {
  return Math.max(250, Math.floor(lease.ttlMs / 4));
}

export interface LeaseState {
  readonly holder: string | null;
  readonly token: number;
  /** The holder's grant has lapsed (no heartbeat within the TTL): anyone may take it over. */
  readonly expired: boolean;
}

export class LeaseLostError extends CodedError {
  readonly code = 'LEASE_LOST';
  constructor(lease: Lease) {
    super(`run ${lease.holder} no longer holds the lease on #${lease.hashtag} (token ${lease.token}); it stopped without writing`);
  }
}

// MERGE on the unique key, then a write: from here this transaction holds the node's write lock,
// so the read of holder/expiry below sees the last committed grant and no other grant interleaves.
const LOCK = `
MERGE (l:IngestLease {hashtag: $hashtag})
ON CREATE SET l.token = 0, l.holder = null, l.expiresAt = 0
SET l.lockedAt = timestamp()`;

const STATE = `
MATCH (l:IngestLease {hashtag: $hashtag})
RETURN l.holder AS holder, l.token AS token, (l.holder IS NULL OR l.expiresAt < timestamp()) AS expired`;

const GRANT = `
MATCH (l:IngestLease {hashtag: $hashtag})
SET l.holder = $holder, l.token = l.token + 1, l.expiresAt = timestamp() + $ttl, l.grantedAt = timestamp()
RETURN l.token AS token`;

/** Locks the lease node for the rest of `tx` and returns who holds it. */
export async function lockLease(tx: ManagedTransaction, hashtag: string): Promise<LeaseState> {
  await tx.run(LOCK, { hashtag });
  const row = (await tx.run(STATE, { hashtag })).records[0]!;
  return { holder: row.get('holder') as string | null, token: Number(row.get('token')), expired: row.get('expired') as boolean };
}

/** Grants the lease (already locked with `lockLease` in `tx`) to `holder` with a new token. */
export async function grantLease(tx: ManagedTransaction, hashtag: string, holder: string, ttlMs: number): Promise<Lease> {
  const row = (await tx.run(GRANT, { hashtag, holder, ttl: ttlMs })).records[0]!;
  return { hashtag, holder, token: Number(row.get('token')), ttlMs };
}

// Two statements: the first takes the lease's write lock, so the second reads the last committed
// grant (a single MATCH … WHERE … SET would filter on a value read before waiting for the lock,
// and could extend a lease that was taken over meanwhile). Holding the lock to commit means a
// takeover either committed before (and this fails) or waits until this transaction is done.
const LOCK_HELD = `
MATCH (l:IngestLease {hashtag: $hashtag})
SET l.lockedAt = timestamp()`;

const ASSERT = `
MATCH (l:IngestLease {hashtag: $hashtag})
WHERE l.holder = $holder AND l.token = $token AND l.expiresAt >= timestamp()
SET l.expiresAt = timestamp() + $ttl
RETURN l.token AS token`;

/**
 * Proves `lease` inside a write transaction and extends it; throws LeaseLostError otherwise.
 * Writers call it as the last statement of their transaction, after their own writes and after
 * the IngestRun node (lock order: run node, then lease), so the lease lock is held only briefly and
 * no two of a run's transactions wait for each other in opposite order.
 */
export async function assertLease(tx: ManagedTransaction, lease: Lease): Promise<void> {
  await tx.run(LOCK_HELD, { hashtag: lease.hashtag });
  const result = await tx.run(ASSERT, { hashtag: lease.hashtag, holder: lease.holder, token: lease.token, ttl: lease.ttlMs });
  if (result.records.length === 0) throw new LeaseLostError(lease);
}

const RELEASE = `
MATCH (l:IngestLease {hashtag: $hashtag})
WHERE l.holder = $holder AND l.token = $token
SET l.holder = null, l.expiresAt = 0
RETURN l.token AS token`;

/** Gives the lease back (only if still held with this token); true when it was. */
export async function releaseLease(tx: ManagedTransaction, lease: Omit<Lease, 'ttlMs'>): Promise<boolean> {
  await tx.run(LOCK_HELD, { hashtag: lease.hashtag });
  const result = await tx.run(RELEASE, { hashtag: lease.hashtag, holder: lease.holder, token: lease.token });
  return result.records.length > 0;
}
