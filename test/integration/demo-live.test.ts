/**
 * `bsky-graph demo --live`, run as a user runs it against the test Neo4j: the devnet goes on
 * changing after the crawl, the server's watcher folds the changes through the devnet's Jetstream
 * (GraphQL `watch` reports them), and Ctrl-C stops everything with exit 0.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { spawnCli, waitFor } from '../support/cli.js';
import { graphql } from '../support/graphql-client.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';
import { freePort } from '../support/ports.js';

jest.setTimeout(180_000);

let db: GraphDatabase;
beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
});
afterAll(async () => {
  await db?.close();
});

describe('bsky-graph demo --live', () => {
  it('crawls, watches the changing devnet, and the API shows the changes as they are folded', async () => {
    const port = await freePort();
    const env = { NEO4J_URI: process.env.NEO4J_URI, NEO4J_USER: process.env.NEO4J_USER, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: String(port) };
    const child = spawnCli(['demo', '--live', '--members', '80', '--changes-per-second', '20'], env);
    const exited = waitFor(child, 170_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 120_000;
      while (!out.includes('Ctrl-C stops everything') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      expect(out).toContain('Ctrl-C stops everything');
      expect(out).toMatch(/Live\s+20 random changes a second/);
      const url = `http://127.0.0.1:${port}`;
      const query = `{ watch(hashtag: "databs") { state changes members } }`;
      let watch: { state: string; changes: number; members: number } | undefined;
      const until = Date.now() + 30_000;
      do {
        await new Promise((r) => setTimeout(r, 500));
        const r = await graphql(url, query);
        expect(r.errors).toBeUndefined();
        watch = r.data?.watch as typeof watch;
      } while ((watch?.changes ?? 0) < 10 && Date.now() < until);
      expect(watch).toMatchObject({ state: 'RUNNING' });
      expect(watch!.changes).toBeGreaterThanOrEqual(10);
      // What the watcher folded is in Neo4j: edges it wrote carry their follow record's rkey.
      const [{ n }] = await db.read<{ n: number }>(`MATCH (:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(:Actor)-[e:FOLLOWS]->() WHERE e.rkey IS NOT NULL RETURN count(e) AS n`);
      expect(Number(n)).toBeGreaterThan(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGINT');
    }
    const result = await exited;
    expect({ code: result.code, stderr: result.stderr.slice(-2000) }).toMatchObject({ code: 0 });
  });
});
