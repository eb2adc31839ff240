/**
 * Idempotent schema migrations run at every start: `IF NOT EXISTS` / `IF EXISTS` make a second run a no-op.
 * Actors are keyed by DID because handles change; handle is only an index for look-ups.
 */
import type { GraphDatabase } from './database.js';

export const MIGRATIONS: readonly string[] = [
  'CREATE CONSTRAINT actor_did IF NOT EXISTS FOR (a:Actor) REQUIRE a.did IS UNIQUE',
  'CREATE INDEX actor_handle IF NOT EXISTS FOR (a:Actor) ON (a.handle)',
  'CREATE INDEX actor_pagerank IF NOT EXISTS FOR (a:Actor) ON (a.pagerank)',
  'CREATE INDEX actor_followers IF NOT EXISTS FOR (a:Actor) ON (a.followersCount)',
  'CREATE CONSTRAINT hashtag_name IF NOT EXISTS FOR (h:Hashtag) REQUIRE h.name IS UNIQUE',
  'CREATE CONSTRAINT ingest_run_id IF NOT EXISTS FOR (r:IngestRun) REQUIRE r.id IS UNIQUE',
  'CREATE CONSTRAINT ingest_lease_hashtag IF NOT EXISTS FOR (l:IngestLease) REQUIRE l.hashtag IS UNIQUE',
  'CREATE INDEX ingest_run_hashtag IF NOT EXISTS FOR (r:IngestRun) ON (r.hashtag)',
  // Exports live as files (src/export/export-store.ts), never as nodes: drop the constraint an
  // earlier version created for an :Export label nothing writes.
  'DROP CONSTRAINT export_id IF EXISTS',
  // Accounts the watcher saw deleted, known to the graph or not: a late event cannot bring them back.
  'CREATE CONSTRAINT deleted_account_did IF NOT EXISTS FOR (d:DeletedAccount) REQUIRE d.did IS UNIQUE',
  // One watcher per hashtag (graph/watch-claim.ts).
  'CREATE CONSTRAINT watch_claim_hashtag IF NOT EXISTS FOR (c:WatchClaim) REQUIRE c.hashtag IS UNIQUE',
];

/**
 * Runs only the statements the schema still needs: one read of the existing names first, since
 * each schema command is its own transaction (~50–200 ms) and every CLI start migrates.
 */
export async function migrate(db: GraphDatabase): Promise<void> {
  const [constraints, indexes] = await Promise.all([
    db.read<{ name: string }>('SHOW CONSTRAINTS YIELD name RETURN name'),
    db.read<{ name: string }>('SHOW INDEXES YIELD name RETURN name'),
  ]);
  const existing = new Set([...constraints, ...indexes].map((r) => r.name));
  let created = false;
  // Schema commands cannot share a transaction with each other; run them one by one.
  for (const statement of MIGRATIONS) {
    const [, verb, name] = /^(CREATE|DROP) (?:CONSTRAINT|INDEX) (\w+)/.exec(statement) ?? [];
    if (verb === 'CREATE' && name && existing.has(name)) continue;
    if (verb === 'DROP' && name && !existing.has(name)) continue;
    await db.write(statement);
    created ||= verb === 'CREATE';
  }
  if (created) await db.write('CALL db.awaitIndexes(60)');
}
