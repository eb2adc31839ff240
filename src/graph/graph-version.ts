/**
 * A monotonically increasing number bumped by every write that changes the graph (each ingest batch
 * and each finalise, in the same transaction). Caches key on it, so a cached PageRank or the
 * in-process read model is never served for a graph that has since changed.
 *
 * The version node carries a random epoch from its creation, so wiping the database (which deletes
 * it) never brings an old version number back. The fingerprint adds the store's own counts of actors, FOLLOWS and memberships (O(1) reads from
 * Neo4j's count store): a write made by hand in Neo4j Browser, which bumps no version, still shows.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';

const BUMP = `
MERGE (v:GraphVersion {id: 'graph'})
ON CREATE SET v.version = 0, v.epoch = randomUUID()
SET v.version = v.version + 1, v.changedAt = datetime()
RETURN v.version AS version`;

const READ = `OPTIONAL MATCH (v:GraphVersion {id: 'graph'}) RETURN coalesce(v.version, 0) AS version`;

const FINGERPRINT = `
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
WITH coalesce(v.epoch, '') AS epoch, coalesce(v.version, 0) AS version
CALL () { MATCH (:Actor) RETURN count(*) AS actors }
CALL () { MATCH ()-[f:FOLLOWS]->() RETURN count(f) AS follows }
CALL () { MATCH ()-[m:POSTED_WITH]->() RETURN count(m) AS memberships }
RETURN epoch, version, actors, follows, memberships`;

/** Bump last in a transaction: every other lock it takes comes first, so two bumpers cannot deadlock. */
export async function bumpGraphVersion(tx: ManagedTransaction): Promise<number> {
  const result = await tx.run(BUMP);
  return Number(result.records[0]?.get('version') ?? 0);
}

export async function readGraphVersion(db: GraphDatabase): Promise<number> {
  const rows = await db.read<{ version: number }>(READ);
  return Number(rows[0]?.version ?? 0);
}

/** The graph's state as one opaque string: equal strings, same graph (see the file comment). */
export type GraphFingerprint = string;

/** Read on every request (the read model answers only when it matches): one auto-commit statement. */
export async function readGraphFingerprint(db: GraphDatabase): Promise<GraphFingerprint> {
  const [row] = await db.readAutoCommit<FingerprintRow>(FINGERPRINT, {}, undefined, 'graphFingerprint');
  return row ? fingerprintOf(row) : '';
}

export async function graphFingerprintIn(tx: ManagedTransaction): Promise<GraphFingerprint> {
  const result = await tx.run(FINGERPRINT);
  const row = result.records[0];
  return row ? fingerprintOf(row.toObject() as FingerprintRow) : '';
}

interface FingerprintRow {
  epoch: string;
  version: unknown;
  actors: unknown;
  follows: unknown;
  memberships: unknown;
}

function fingerprintOf(row: FingerprintRow): GraphFingerprint {
  return [String(row.epoch), Number(row.version), Number(row.actors), Number(row.follows), Number(row.memberships)].join('.');
}
