/**
 * A monotonically increasing number bumped whenever an ingest changes the graph. Analytics caches
 * key on it, so a cached PageRank is never served for a graph that has since been re-crawled.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';

const BUMP = `
MERGE (v:GraphVersion {id: 'graph'})
ON CREATE SET v.version = 0
SET v.version = v.version + 1, v.changedAt = datetime()
RETURN v.version AS version`;

const READ = `OPTIONAL MATCH (v:GraphVersion {id: 'graph'}) RETURN coalesce(v.version, 0) AS version`;

export async function bumpGraphVersion(tx: ManagedTransaction): Promise<number> {
  const result = await tx.run(BUMP);
  return Number(result.records[0]?.get('version') ?? 0);
}

export async function readGraphVersion(db: GraphDatabase): Promise<number> {
  const rows = await db.read<{ version: number }>(READ);
  return Number(rows[0]?.version ?? 0);
}
