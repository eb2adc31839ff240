/**
 * Every ```cypher block of the README runs against a crawled graph: no snippet in the docs that
 * does not run. `:param` lines become parameters; handles are swapped for ones in this graph.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { configFor } from '../support/devnet-ingest.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(120_000);

interface Snippet {
  params: Record<string, string>;
  statements: string[];
}

function readmeSnippets(): Snippet[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  return [...readme.matchAll(/```cypher\n([\s\S]*?)```/g)].map((m) => {
    const params: Record<string, string> = {};
    const body: string[] = [];
    for (const line of m[1]!.split('\n')) {
      const param = /^:param\s+(\w+)\s*=>\s*'([^']*)';?\s*$/.exec(line);
      if (param) params[param[1]!] = param[2]!;
      else body.push(line);
    }
    const statements = body.join('\n').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
    return { params, statements };
  });
}

let db: GraphDatabase;
let devnet: Devnet;
let mutualPair: [string, string];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 60, seed: 5, rateLimit: false });
  const run = await new IngestService({ db, config: configFor(devnet), logger: createLogger('warn') }).run({ hashtag: 'databs' });
  expect(run.status).toBe('SUCCEEDED');
  const pairs = await db.read<{ a: string; b: string }>(
    `MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}), (a)-[:FOLLOWS]->(b:Actor)-[:FOLLOWS]->(a)
     WHERE (b)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}) RETURN a.handle AS a, b.handle AS b LIMIT 1`,
  );
  mutualPair = [pairs[0]!.a, pairs[0]!.b];
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

describe('README Cypher snippets', () => {
  const snippets = readmeSnippets();

  it('finds the snippets', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(6);
  });

  it.each(snippets.map((s, i) => [i, s] as const))('snippet %i runs and answers', async (_i, snippet) => {
    const params: Record<string, string> = { ...snippet.params };
    if ('handle' in params) params.handle = mutualPair[0];
    if ('from' in params) params.from = mutualPair[0];
    if ('to' in params) params.to = mutualPair[1];
    for (const statement of snippet.statements) {
      const rows = await db.autoCommit(statement, params);
      // Every statement but the write-back one (pagerank only exists after the API ran) answers.
      if (!statement.includes('a.pagerank IS NOT NULL')) expect(rows.length).toBeGreaterThan(0);
    }
  });
});
