/** Test access to the real Neo4j chosen in global-setup. Tests share one database: each file wipes it. */
import { GraphDatabase, type GraphDatabaseOptions } from '../../src/graph/database.js';
import { migrate } from '../../src/graph/migrations.js';

export function testDatabaseUri(): string {
  return process.env.NEO4J_URI ?? 'bolt://127.0.0.1:7687';
}

export function openTestDatabase(options: Partial<GraphDatabaseOptions> = {}): GraphDatabase {
  return new GraphDatabase({
    ...options,
    uri: testDatabaseUri(),
    user: process.env.NEO4J_USER ?? 'neo4j',
    password: process.env.NEO4J_PASSWORD || undefined,
    queryTimeoutMs: 120_000,
  });
}

/** Empties the graph (in batches, so a million edges do not blow the transaction memory) and migrates. */
export async function resetGraph(db: GraphDatabase): Promise<void> {
  await db.autoCommit('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS', {}, 600_000);
  await migrate(db);
}
