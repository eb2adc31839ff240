/**
 * Runs once before all test files: picks the Neo4j the suite uses (see test/support/neo4j-target.ts)
 * and gives the Bluesky PDS a temp dir we can remove afterwards. Env set here reaches every test.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { chooseNeo4jTarget, isDockerReachable } from './support/neo4j-target.ts'; // jest loads this file as CommonJS: no .js mapping here

export default async function globalSetup(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'bsky-graph-test-'));
  process.env.BSKY_GRAPH_TEST_TMP = tmp;
  process.env.TMPDIR = tmp;

  const target = chooseNeo4jTarget({
    neo4jUri: process.env.NEO4J_URI,
    dockerReachable: process.env.NEO4J_URI ? false : await isDockerReachable(),
  });
  console.log(`\n[test] Neo4j: ${target.kind} (${target.reason})`);
  if (target.kind === 'testcontainers') {
    const { Neo4jContainer, Neo4jPlugin } = await import('@testcontainers/neo4j');
    const container = await new Neo4jContainer('neo4j:5.26')
      .withPlugins([Neo4jPlugin.APOC, Neo4jPlugin.GRAPH_DATA_SCIENCE])
      .withPassword('bsky-graph-test')
      .start();
    (globalThis as Record<string, unknown>).__NEO4J_CONTAINER__ = container;
    process.env.NEO4J_URI = container.getBoltUri();
    process.env.NEO4J_USER = container.getUsername();
    process.env.NEO4J_PASSWORD = container.getPassword();
  } else {
    process.env.NEO4J_URI = target.uri;
    // The local server has auth on: its password (neo4j/home/auth/password) reaches every test
    // through NEO4J_PASSWORD, the way tests already pass credentials around.
    const password = loadConfig(process.env).neo4j.password;
    if (password !== undefined) process.env.NEO4J_PASSWORD = password;
  }
}
