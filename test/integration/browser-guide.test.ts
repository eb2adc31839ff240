/**
 * The Neo4j Browser guide at /browser-guide: the README's Cypher section as slides, served with CORS
 * for Browser's origin only, and every runnable block of the served page executed against a crawled
 * graph the way readme-cypher.test.ts runs the README's (`:param` lines become parameters).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { loadConfig } from '../../src/config/config.js';
import { startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { readmeGuideSlides } from '../../src/server/browser-guide.js';
import { startServer, type RunningServer } from '../../src/server/create-server.js';
import { configFor } from '../support/devnet-ingest.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(120_000);

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const BROWSER = 'http://127.0.0.1:7474';

/** The runnable blocks of a guide page, as Browser puts them into its editor (textContent). */
function runnableBlocks(html: string): string[] {
  return [...html.matchAll(/<pre class="[^"]*\brunnable\b[^"]*">([\s\S]*?)<\/pre>/g)].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&'),
  );
}

/** A Browser multi-statement script: `:param` lines as parameters, the rest split at `;`. */
function script(block: string): { params: Record<string, string>; statements: string[] } {
  const params: Record<string, string> = {};
  const body: string[] = [];
  for (const line of block.split('\n')) {
    const param = /^:param\s+(\w+)\s*=>\s*'([^']*)';?\s*$/.exec(line);
    if (param) params[param[1]!] = param[2]!;
    else body.push(line);
  }
  return { params, statements: body.join('\n').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean) };
}

let db: GraphDatabase;
let devnet: Devnet;
let server: RunningServer;
let mutualPair: [string, string];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 60, seed: 5, rateLimit: false });
  const logger = createLogger('warn');
  const run = await new IngestService({ db, config: configFor(devnet), logger }).run({ hashtag: 'databs' });
  expect(run.status).toBe('SUCCEEDED');
  const pairs = await db.read<{ a: string; b: string }>(
    `MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}), (a)-[:FOLLOWS]->(b:Actor)-[:FOLLOWS]->(a)
     WHERE (b)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}) RETURN a.handle AS a, b.handle AS b LIMIT 1`,
  );
  mutualPair = [pairs[0]!.a, pairs[0]!.b];
  const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: '0' });
  server = await startServer({ config, db, ingest: new IngestService({ db, config, logger }), logger, webDir: null });
});

afterAll(async () => {
  await server?.close();
  await devnet?.close();
  await db?.close();
});

const guide = (headers: Record<string, string> = {}, method = 'GET') => fetch(`${server.url}/browser-guide`, { method, headers });

describe('GET /browser-guide', () => {
  it('answers Neo4j Browser with CORS for its origin', async () => {
    const res = await guide({ origin: BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(res.headers.get('vary')).toBe('Origin');
    const html = await res.text();
    expect(html).toContain('<article class="guide">');
    expect(html.match(/<slide /g)).toHaveLength(readmeGuideSlides(README).length + 1);
    expect((await guide({ origin: 'http://localhost:7474' })).headers.get('access-control-allow-origin')).toBe('http://localhost:7474');
  });

  it('gives no CORS answer to other origins or to requests without one', async () => {
    for (const origin of ['http://evil.example', 'http://127.0.0.1:4000', 'http://127.0.0.1:7475', 'null']) {
      const res = await guide({ origin });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
    expect((await guide()).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers GET and HEAD only', async () => {
    const head = await guide({ origin: BROWSER }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('access-control-allow-origin')).toBe(BROWSER);
    const post = await guide({ origin: BROWSER }, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers the preflight Browser sends (its fetch sets Cache-Control and Pragma) for its origin only', async () => {
    const preflight = (origin: string) => guide({ origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'cache-control,pragma' }, 'OPTIONS');
    const ok = await preflight(BROWSER);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(BROWSER);
    expect(ok.headers.get('access-control-allow-headers')).toBe('cache-control, pragma');
    const other = await preflight('http://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-headers')).toBeNull();
  });

  it('takes the Browser origins it is given', async () => {
    const config = loadConfig({ NEO4J_URI: process.env.NEO4J_URI, NEO4J_PASSWORD: process.env.NEO4J_PASSWORD, PORT: '0' });
    const logger = createLogger('warn');
    const other = await startServer({ config, db, ingest: new IngestService({ db, config, logger }), logger, webDir: null, neo4jBrowserOrigins: ['http://127.0.0.1:7480'] });
    try {
      const at = (origin: string) => fetch(`${other.url}/browser-guide`, { headers: { origin } }).then((r) => r.headers.get('access-control-allow-origin'));
      expect(await at('http://127.0.0.1:7480')).toBe('http://127.0.0.1:7480');
      expect(await at(BROWSER)).toBeNull();
    } finally {
      await other.close();
    }
  });
});

describe('the guide is the README', () => {
  it('has every ```cypher block of the README section, verbatim, in order', async () => {
    const blocks = runnableBlocks(await (await guide()).text());
    const section = README.split('## Cypher for Neo4j Browser\n')[1]!.split(/^## /m)[0]!;
    const readmeBlocks = [...section.matchAll(/```cypher\n([\s\S]*?)```/g)].map((m) => m[1]!.trimEnd());
    expect(readmeBlocks.length).toBeGreaterThanOrEqual(6);
    expect(blocks).toEqual(readmeBlocks);
  });

  it('captions each slide with the README paragraph before its block', () => {
    const slides = readmeGuideSlides(README);
    expect(slides[0]!.caption).toMatch(/^The community/);
    for (const s of slides) expect(s.caption).not.toBe('');
  });
});

describe('the guide runs', () => {
  it.each([...Array(readmeGuideSlides(README).length).keys()])('slide %i runs and answers', async (i) => {
    const block = runnableBlocks(await (await guide()).text())[i]!;
    const { params: written, statements } = script(block);
    const params: Record<string, string> = { ...written };
    // The README's handles are the demo's; this graph has its own.
    if ('handle' in params) params.handle = mutualPair[0];
    if ('from' in params) params.from = mutualPair[0];
    if ('to' in params) params.to = mutualPair[1];
    expect(statements.length).toBeGreaterThan(0);
    for (const statement of statements) {
      const rows = await db.autoCommit(statement, params);
      // Every statement but the write-back one (pagerank only exists after the API ran) answers.
      if (!statement.includes('a.pagerank IS NOT NULL')) expect(rows.length).toBeGreaterThan(0);
    }
  });
});
