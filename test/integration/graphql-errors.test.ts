/**
 * Every error code, and a table of hostile inputs: each must come back as a typed error (or a
 * harmless empty answer), never an HTTP 500, never a change to the graph, and the server must
 * still answer afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphDatabase } from '../../src/graph/database.js';
import type { CentralityProvider } from '../../src/resolvers/context.js';
import { encodeCursor } from '../../src/schema/cursor.js';
import { errorCode, graphql, rawPost, type GraphQLResponse } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;
let someDid: string;
let someHandle: string;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  const fixture = buildApiFixture();
  await loadGraph(db, fixture);
  someDid = fixture.actors[0]!.did;
  someHandle = fixture.actors[0]!.handle;
  server = await startTestServer({ db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function graphSize(): Promise<{ nodes: number; edges: number }> {
  const rows = await db.read<{ nodes: number; edges: number }>('MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS edges');
  return rows[0]!;
}

function expectCode(r: GraphQLResponse, code: string, reason?: string): void {
  expect(r.status).toBeLessThan(500);
  expect(r.errors?.length).toBeGreaterThan(0);
  expect(r.errors![0]!.extensions?.code).toBe(code);
  if (reason) expect(r.errors![0]!.extensions?.reason).toBe(reason);
}

describe('error codes', () => {
  it.each([
    ['depth below 1', `{ neighbourhood(actor: "${'x.devnet.test'}", depth: 0) { truncated } }`, 'OUT_OF_RANGE'],
    ['depth above 3', `{ neighbourhood(actor: "x.devnet.test", depth: 4) { truncated } }`, 'OUT_OF_RANGE'],
    ['limit above 5000', `{ neighbourhood(actor: "x.devnet.test", limit: 5001) { truncated } }`, 'OUT_OF_RANGE'],
    ['first 0', `{ actors(first: 0) { totalCount } }`, 'OUT_OF_RANGE'],
    ['first 1001', `{ actors(first: 1001) { totalCount } }`, 'OUT_OF_RANGE'],
    ['nested first 1001', `{ actors(first: 1) { nodes { follows(first: 1001) { totalCount } } } }`, 'OUT_OF_RANGE'],
    ['centrality first 0', `{ centrality(metric: PAGERANK, first: 0) { rank } }`, 'OUT_OF_RANGE'],
    ['ingestRuns first -1', `{ ingestRuns(first: -1) { id } }`, 'OUT_OF_RANGE'],
    ['hashtag syntax', `{ actors(hashtag: "two words") { totalCount } }`, 'INVALID_HASHTAG'],
    ['handle syntax', `{ actor(handleOrDid: "not a handle") { did } }`, 'INVALID_ACTOR'],
    ['DID syntax', `{ actor(handleOrDid: "did:PLC:") { did } }`, 'INVALID_ACTOR'],
    ['invalid cursor', `{ actors(after: "bm90IGEgY3Vyc29y") { totalCount } }`, 'INVALID_CURSOR'],
    ['search too long', `{ actors(search: "${'x'.repeat(101)}") { totalCount } }`, 'TOO_LONG'],
    ['ingest run id syntax', `{ ingestRun(id: "../../etc/passwd") { id } }`, 'INVALID_ID'],
    ['unknown enum value', `{ actors(orderBy: SIZE) { totalCount } }`, 'GRAPHQL_VALIDATION_FAILED'],
    ['parse error', `{ actors(`, 'GRAPHQL_PARSE_FAILED'],
  ])('BAD_USER_INPUT: %s', async (_name, query, reason) => {
    const r = await graphql(server.url, query);
    expectCode(r, 'BAD_USER_INPUT', reason);
  });

  it('BAD_USER_INPUT is checked before the actor is looked up (never NOT_FOUND for bad arguments)', async () => {
    expectCode(await graphql(server.url, `{ mutualFollows(actor: "nobody.devnet.test", first: 0) { totalCount } }`), 'BAD_USER_INPUT');
    expectCode(await graphql(server.url, `{ commonFollows(a: "nobody.devnet.test", b: "x.y", after: "zz") { totalCount } }`), 'BAD_USER_INPUT');
  });

  it.each([
    ['neighbourhood of an unknown actor', `{ neighbourhood(actor: "nobody.devnet.test") { truncated } }`],
    ['relationship with an unknown DID', `{ relationship(a: "${'did:plc:nobody0000000000000000000'}", b: "did:plc:nobody1111111111111111111") { mutual } }`],
    ['mutualFollows of an unknown actor', `{ mutualFollows(actor: "did:plc:nobody0000000000000000000") { totalCount } }`],
    ['commonFollows with an unknown actor', `{ commonFollows(a: "nobody.devnet.test", b: "nobody.devnet.test") { totalCount } }`],
    ['cancelling an unknown ingest run', `mutation { cancelIngest(id: "00000000-0000-0000-0000-000000000000") { id } }`],
    ['resuming an unknown ingest run', `mutation { resumeIngest(id: "00000000-0000-0000-0000-000000000000") { id } }`],
  ])('NOT_FOUND: %s', async (_name, query) => {
    const r = await graphql(server.url, query);
    expectCode(r, 'NOT_FOUND');
    expect(r.status).toBe(200);
  });

  it('unknown actors and runs in nullable look-ups are null, not errors', async () => {
    const r = await graphql(server.url, `{ actor(handleOrDid: "nobody.devnet.test") { did } ingestRun(id: "nope") { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({ actor: null, ingestRun: null });
  });

  it('INTERNAL: a failing service shows its message and stack in development only, and is logged', async () => {
    const secret = 'leaky detail bolt://10.1.2.3:7687 MATCH (n)';
    const failing: CentralityProvider = {
      centrality: async () => {
        throw new Error(secret);
      },
      communities: async () => {
        throw new Error(secret);
      },
      partition: async () => {
        throw new Error(secret);
      },
    };
    const dev = await startTestServer({ db, centrality: failing });
    const prod = await startTestServer({ db, centrality: failing, env: { NODE_ENV: 'production' } });
    try {
      const d = await graphql(dev.url, `{ centrality(metric: PAGERANK) { rank } }`);
      expectCode(d, 'INTERNAL');
      expect(d.errors![0]!.message).toBe(secret);
      expect(d.errors![0]!.extensions!.stacktrace).toBeDefined();

      const p = await graphql(prod.url, `{ communities(hashtag: "databs") { id } }`);
      expectCode(p, 'INTERNAL');
      expect(p.errors![0]!.message).toBe('internal error');
      expect(p.text).not.toContain('10.1.2.3');
      expect(p.text).not.toMatch(/stack|at .*\.ts/);
      expect(prod.logLines.some((l) => l.includes(secret))).toBe(true);
    } finally {
      await dev.close();
      await prod.close();
    }
  });

  it('INTERNAL: a broken database connection never becomes an HTTP 500 or leaks its address; /healthz says 503', async () => {
    // A port that answers HTTP, not Bolt: the driver fails at once. A closed port fails the same
    // way, but only after the driver's retries (over 2 minutes), too slow for this suite.
    const notBolt = createServer((_req, res) => res.end('not bolt'));
    await new Promise<void>((done) => notBolt.listen(0, '127.0.0.1', done));
    const httpPort = (notBolt.address() as AddressInfo).port;
    const broken = new GraphDatabase({ uri: `bolt://127.0.0.1:${httpPort}`, queryTimeoutMs: 2_000 });
    const s = await startTestServer({ db: broken, env: { NODE_ENV: 'production' } });
    try {
      const health = await fetch(`${s.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', neo4j: { ok: false } });
      const r = await graphql(s.url, `{ actors { totalCount } }`);
      expectCode(r, 'INTERNAL');
      expect(r.status).toBe(200);
      expect(r.errors![0]!.message).toBe('internal error');
      expect(r.text).not.toContain(String(httpPort));
    } finally {
      await s.close();
      await broken.close();
      notBolt.close();
    }
  });

  // CONFLICT: graphql-ingest.test.ts; UNAUTHENTICATED: graphql-auth.test.ts. RATE_LIMITED is reserved
  // (no request limiter yet), so nothing can produce it.
});

describe('production mode', () => {
  let prod: TestServer;
  beforeAll(async () => {
    prod = await startTestServer({ db, env: { NODE_ENV: 'production' } });
  });
  afterAll(async () => {
    await prod?.close();
  });

  it('turns introspection, the landing page and field suggestions off', async () => {
    expectCode(await graphql(prod.url, `{ __schema { types { name } } }`), 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(`${prod.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(page.status).toBeLessThan(500);
    const typo = await graphql(prod.url, `{ hashtag { name } }`);
    expectCode(typo, 'BAD_USER_INPUT');
    expect(typo.errors![0]!.message).not.toMatch(/did you mean/i);
  });

  it('still answers ordinary queries', async () => {
    const r = await graphql(prod.url, `{ actor(handleOrDid: "${someHandle}") { did } }`);
    expect(r.data).toEqual({ actor: { did: someDid } });
  });
});

describe('hostile input', () => {
  const big = 'x'.repeat(100 * 1024);
  const deep = (levels: number) => {
    let inner = 'did';
    for (let i = 0; i < levels; i++) inner = `follows(first: 1) { nodes { ${inner} } }`;
    return `{ actor(handleOrDid: "x.devnet.test") { ${inner} } }`;
  };
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  type Case = { name: string; query?: string; variables?: Record<string, unknown>; raw?: { body: string; headers?: Record<string, string> }; expect: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'empty' | 'null' };

  const cases = (): Case[] => [
    { name: 'SQL-style injection as handle', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: "' OR 1=1 --" }, expect: 'BAD_USER_INPUT' },
    { name: 'Cypher injection as handle', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: '}) MATCH (n) DETACH DELETE n //' }, expect: 'BAD_USER_INPUT' },
    { name: 'Cypher injection as DID', query: `query($a: String!) { neighbourhood(actor: $a) { truncated } }`, variables: { a: "did:plc:x'}) DETACH DELETE a //" }, expect: 'BAD_USER_INPUT' },
    { name: 'Cypher injection as search', query: `query($s: String) { actors(search: $s) { totalCount } }`, variables: { s: '}) MATCH (n) DETACH DELETE n //' }, expect: 'empty' },
    { name: 'SQL injection as search', query: `query($s: String) { actors(search: $s) { totalCount } }`, variables: { s: "' OR 1=1" }, expect: 'empty' },
    { name: 'injection as hashtag', query: `query($h: String) { actors(hashtag: $h) { totalCount } }`, variables: { h: "databs' OR '1'='1" }, expect: 'BAD_USER_INPUT' },
    { name: 'injection as community hashtag', query: `{ communities(hashtag: "x}) DETACH DELETE n") { id } }`, expect: 'BAD_USER_INPUT' },
    { name: 'injection in export hashtag', query: `mutation { exportCsv(input: { hashtag: "a'; DROP" }) { id } }`, expect: 'BAD_USER_INPUT' },
    { name: 'injection in ingest hashtag', query: `mutation { startIngest(input: { hashtag: "x}) MATCH (n) DELETE n" }) { id } }`, expect: 'BAD_USER_INPUT' },
    { name: 'huge int literal', query: `{ actors(first: 99999999999) { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'huge int variable', query: `query($f: Int) { actors(first: $f) { totalCount } }`, variables: { f: 1e12 }, expect: 'BAD_USER_INPUT' },
    { name: 'max Int32 first', query: `{ actors(first: 2147483647) { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'negative first', query: `{ actors(first: -5) { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'float as Int', query: `query($f: Int) { actors(first: $f) { totalCount } }`, variables: { f: 2.5 }, expect: 'BAD_USER_INPUT' },
    { name: 'string as Int', query: `query($f: Int) { actors(first: $f) { totalCount } }`, variables: { f: '10; DROP' }, expect: 'BAD_USER_INPUT' },
    { name: 'huge depth', query: `{ neighbourhood(actor: "x.devnet.test", depth: 1000000) { truncated } }`, expect: 'BAD_USER_INPUT' },
    { name: 'negative depth', query: `{ neighbourhood(actor: "x.devnet.test", depth: -3) { truncated } }`, expect: 'BAD_USER_INPUT' },
    { name: 'zero limit', query: `{ neighbourhood(actor: "x.devnet.test", limit: 0) { truncated } }`, expect: 'BAD_USER_INPUT' },
    { name: 'unknown enum literal', query: `{ actors(orderBy: DROP) { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'unknown enum variable', query: `query($d: Direction) { neighbourhood(actor: "x.devnet.test", direction: $d) { truncated } }`, variables: { d: 'SIDEWAYS' }, expect: 'BAD_USER_INPUT' },
    { name: 'enum with injection', query: `query($m: CentralityMetric!) { centrality(metric: $m) { rank } }`, variables: { m: 'PAGERANK; DROP' }, expect: 'BAD_USER_INPUT' },
    { name: 'garbage cursor', query: `{ actors(after: "garbage!!") { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'forged cursor with injected key', query: `query($c: String) { actors(after: $c) { totalCount } }`, variables: { c: b64({ o: 'FOLLOWERS', k: '1 OR 1=1', d: 'did:x' }) }, expect: 'BAD_USER_INPUT' },
    { name: "cursor of another order", query: `query($c: String) { actors(orderBy: HANDLE, after: $c) { totalCount } }`, variables: { c: encodeCursor('FOLLOWERS', { key: 3, did: 'did:plc:a' }) }, expect: 'BAD_USER_INPUT' },
    { name: 'cursor that is not base64', query: `{ actors(after: "🦋🦋") { totalCount } }`, expect: 'BAD_USER_INPUT' },
    { name: 'unicode handle', query: `{ actor(handleOrDid: "🦋.bsky.social") { did } }`, expect: 'BAD_USER_INPUT' },
    { name: 'unicode search', query: `{ actors(search: "zoë 🦋 ∑ 日本") { totalCount } }`, expect: 'empty' },
    { name: 'unicode hashtag (valid, not ingested)', query: `{ actors(hashtag: "#日本語") { totalCount } }`, expect: 'empty' },
    { name: 'NUL byte in handle', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: 'alice\u0000.bsky.social' }, expect: 'BAD_USER_INPUT' },
    { name: 'right-to-left override in handle', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: 'alice\u202e.bsky.social' }, expect: 'BAD_USER_INPUT' },
    { name: '100 KB search', query: `query($s: String) { actors(search: $s) { totalCount } }`, variables: { s: big }, expect: 'BAD_USER_INPUT' },
    { name: '100 KB actor', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: big }, expect: 'BAD_USER_INPUT' },
    { name: '100 KB hashtag', query: `query($h: String) { actors(hashtag: $h) { totalCount } }`, variables: { h: big }, expect: 'BAD_USER_INPUT' },
    { name: '100 KB cursor', query: `query($c: String) { actors(after: $c) { totalCount } }`, variables: { c: big }, expect: 'BAD_USER_INPUT' },
    { name: '100 KB query document', query: `{ hashtags { name } } # ${big}`, expect: 'BAD_USER_INPUT' },
    { name: 'deeply nested query', query: deep(8), expect: 'BAD_USER_INPUT' },
    { name: 'nested pages of 1000 x 1000', query: `{ actors(first: 1000) { nodes { follows(first: 1000) { nodes { did } } } } }`, expect: 'BAD_USER_INPUT' },
    { name: 'alias flood', query: `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: actors(first: 1000) { nodes { did } }`).join(' ')} }`, expect: 'BAD_USER_INPUT' },
    {
      name: 'fragment bomb',
      query: `{ actors(first: 1) { nodes { ...F0 } } } ${Array.from({ length: 20 }, (_, i) => `fragment F${i} on Actor { follows(first: 2) { nodes { ...F${i + 1} ...F${i + 1} } } }`).join(' ')} fragment F20 on Actor { did }`,
      expect: 'BAD_USER_INPUT',
    },
    { name: 'fragment cycle', query: `{ actors { nodes { ...A } } } fragment A on Actor { follows { nodes { ...B } } } fragment B on Actor { followers { nodes { ...A } } }`, expect: 'BAD_USER_INPUT' },
    { name: 'unknown field', query: `{ users { password } }`, expect: 'BAD_USER_INPUT' },
    { name: 'wrong argument type', query: `{ actor(handleOrDid: 5) { did } }`, expect: 'BAD_USER_INPUT' },
    { name: 'null for a non-null variable', query: `query($a: String!) { actor(handleOrDid: $a) { did } }`, variables: { a: null }, expect: 'BAD_USER_INPUT' },
    { name: 'path traversal as run id', query: `{ ingestRun(id: "../../../etc/passwd") { id } }`, expect: 'BAD_USER_INPUT' },
    { name: 'two operations, no name', query: `query A { hashtags { name } } query B { hashtags { name } }`, expect: 'BAD_USER_INPUT' },
    { name: 'subscription', query: `subscription { hashtags { name } }`, expect: 'BAD_USER_INPUT' },
    { name: 'malformed JSON body', raw: { body: '{"query": "{ hashtags { name } }"' }, expect: 'BAD_USER_INPUT' },
    { name: 'empty body', raw: { body: '' }, expect: 'BAD_USER_INPUT' },
    { name: 'JSON null body', raw: { body: 'null' }, expect: 'BAD_USER_INPUT' },
    { name: 'batched operations', raw: { body: JSON.stringify([{ query: '{ hashtags { name } }' }, { query: '{ hashtags { name } }' }]) }, expect: 'BAD_USER_INPUT' },
    { name: 'query is not a string', raw: { body: JSON.stringify({ query: { $ne: null } }) }, expect: 'BAD_USER_INPUT' },
    { name: 'variables as a string', raw: { body: JSON.stringify({ query: '{ hashtags { name } }', variables: '{"a":1}' }) }, expect: 'BAD_USER_INPUT' },
    { name: 'text/plain (CSRF) body', raw: { body: JSON.stringify({ query: '{ hashtags { name } }' }), headers: { 'content-type': 'text/plain' } }, expect: 'BAD_USER_INPUT' },
    { name: '2 MB body', raw: { body: JSON.stringify({ query: '{ hashtags { name } }', variables: { pad: 'y'.repeat(2 * 1024 * 1024) } }) }, expect: 'BAD_USER_INPUT' },
  ];

  it('answers each with a typed error or a harmless empty result, never a 500, and leaves the graph alone', async () => {
    const before = await graphSize();
    const table = cases();
    expect(table.length).toBeGreaterThanOrEqual(30);
    const failures: string[] = [];
    for (const c of table) {
      const r = c.raw ? await rawPost(server.url, c.raw.body, c.raw.headers) : await graphql(server.url, c.query!, c.variables);
      const code = errorCode(r);
      const ok =
        r.status < 500 &&
        (c.expect === 'empty'
          ? r.errors === undefined && Object.values(r.data ?? {}).every((v: any) => v === null || v.totalCount === 0)
          : c.expect === 'null'
            ? r.errors === undefined
            : code === c.expect);
      if (!ok) failures.push(`${c.name}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
    expect(await graphSize()).toEqual(before);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const alive = await graphql(server.url, `{ actor(handleOrDid: "${someHandle}") { did } }`);
    expect(alive.data).toEqual({ actor: { did: someDid } });
  }, 120_000);

  it('refuses a query one field too deep but accepts one at the limit', async () => {
    // actor(1) + follows/nodes pairs + did: 1 + 2k + 1 fields deep.
    expectCode(await graphql(server.url, deep(6)), 'BAD_USER_INPUT', 'QUERY_TOO_DEEP');
    const atLimit = await graphql(server.url, deep(5));
    expect(atLimit.errors).toBeUndefined();
  });

  it('prices queries by the items they may return', async () => {
    const r = await graphql(server.url, `{ actors(first: 1000) { nodes { follows(first: 1000) { nodes { did } } } } }`);
    expectCode(r, 'BAD_USER_INPUT', 'QUERY_TOO_COMPLEX');
    expect(r.status).toBe(400);
    expect(r.errors![0]!.extensions!.complexity).toBeGreaterThan(1_000_000);
    const fine = await graphql(server.url, `{ actors(first: 100) { nodes { follows(first: 100) { nodes { did } } } } }`);
    expect(fine.errors).toBeUndefined();
  });
});
