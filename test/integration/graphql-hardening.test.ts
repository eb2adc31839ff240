/**
 * The HTTP surface under hostile clients, over real sockets to the real server: Host allow-list
 * (DNS rebinding), timeouts for slow senders and for clients that never read, the connection cap,
 * compression, fan-out and cost limits refused before Neo4j is touched, the rate limit, and the
 * refusal to listen beyond loopback without an API key.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { GraphDatabase } from '../../src/graph/database.js';
import { errorCode, graphql } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let hashtag: string;
let root: string;
let webDir: string;
const BIG_FILE_BYTES = 32 * 1024 * 1024;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  const fixture = buildApiFixture();
  await loadGraph(db, fixture);
  hashtag = fixture.memberships[0]!.hashtag;
  root = await mkdtemp(join(tmpdir(), 'gql-hardening-'));
  webDir = join(root, 'dist');
  await mkdir(join(webDir, 'assets'), { recursive: true });
  await writeFile(join(webDir, 'index.html'), `<!doctype html><title>graph view</title>${'<p>the graph view</p>\n'.repeat(200)}`);
  // Random bytes: larger than every socket buffer between us and the server, and incompressible.
  await writeFile(join(webDir, 'assets', 'big.bin'), randomBytes(BIG_FILE_BYTES));
}, 120_000);

afterAll(async () => {
  await db?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function post(port: number, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  const text = JSON.stringify(body);
  return send(port, 'POST', '/graphql', { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers }, text);
}

function send(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

const json = (r: RawResponse) => JSON.parse(r.body.toString('utf8'));

/** A raw socket, so the test controls exactly what is sent and when it reads. */
function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
}

function closed(s: Socket): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    if (s.destroyed) return resolve(0);
    s.once('close', () => resolve(Date.now() - started));
  });
}

describe('Host allow-list', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('refuses a rebound name with 421 and no data, and serves loopback names', async () => {
    const query = { query: '{ hashtags { name } }' };
    const evil = await post(server.port, query, { host: `evil.example:${server.port}` });
    expect(evil.status).toBe(421);
    expect(json(evil).data).toBeUndefined();
    expect(json(evil).errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'HOST_NOT_ALLOWED' });
    expect((await send(server.port, 'GET', '/healthz', { host: 'evil.example' })).status).toBe(421);
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'localhost']) {
      const ok = await post(server.port, query, { host });
      expect(ok.status).toBe(200);
      expect(json(ok).data.hashtags.length).toBeGreaterThan(0);
    }
  });

  it('answers only the names in ALLOWED_HOSTS when it is set', async () => {
    const custom = await startTestServer({ db, env: { ALLOWED_HOSTS: 'graph.example.org' } });
    try {
      expect((await post(custom.port, { query: '{ hashtags { name } }' }, { host: 'graph.example.org:8443' })).status).toBe(200);
      expect((await post(custom.port, { query: '{ hashtags { name } }' }, { host: 'localhost' })).status).toBe(421);
    } finally {
      await custom.close();
    }
  });
});

describe('timeouts and the connection cap', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      db,
      webDir,
      env: { MAX_CONNECTIONS: '3' },
      limits: { socketTimeoutMs: 500, headersTimeoutMs: 300, requestTimeoutMs: 1_000, keepAliveTimeoutMs: 2_000, stopGraceMs: 500 },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('cuts a client that asks for a large response and never reads it', async () => {
    const s = await openSocket(server.port);
    s.pause();
    s.write(`GET /assets/big.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    const gone = closed(s);
    await new Promise((r) => setTimeout(r, 2_000));
    // Reading now drains what the kernel buffered before the cut, then the end.
    let received = 0;
    s.on('data', (c: Buffer) => (received += c.length));
    s.resume();
    const waited = await Promise.race([gone, new Promise<number>((r) => setTimeout(() => r(-1), 10_000))]);
    expect(waited).toBeGreaterThanOrEqual(0);
    expect(received).toBeGreaterThan(0);
    expect(received).toBeLessThan(BIG_FILE_BYTES);
  }, 20_000);

  it('cuts a client that sends its headers too slowly', async () => {
    const s = await openSocket(server.port);
    let answer = '';
    s.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const ms = await closed(s);
    expect(ms).toBeLessThan(3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);

  it('refuses connections beyond MAX_CONNECTIONS and takes new ones once some close', async () => {
    const held: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await openSocket(server.port);
      s.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await new Promise((r) => s.once('data', r));
      held.push(s);
    }
    const extra = await openSocket(server.port);
    let got = 0;
    extra.on('data', (c: Buffer) => (got += c.length));
    extra.on('error', () => undefined);
    extra.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    expect(await closed(extra)).toBeLessThan(1_000);
    expect(got).toBe(0);

    held.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect((await send(server.port, 'GET', '/healthz', { host: '127.0.0.1' })).status).toBe(200);
    for (const s of held) s.destroy();
  }, 15_000);
});

describe('compression', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db, webDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gzips and brotli-compresses GraphQL responses to the same JSON', async () => {
    const query = { query: `{ communityGraph(hashtag: "${hashtag}", scope: ALL) { nodes { did handle displayName } edges { source target } truncated } }` };
    const plain = await post(server.port, query);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const gz = await post(server.port, query, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(Number(gz.headers['content-length'])).toBe(gz.body.length);
    const br = await post(server.port, query, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    const expected = json(plain);
    expect(expected.data.communityGraph.edges.length).toBeGreaterThan(100);
    expect(JSON.parse(gunzipSync(gz.body).toString('utf8'))).toEqual(expected);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(expected);
    expect(gz.body.length).toBeLessThan(plain.body.length / 3);
    // Refused with q=0: identity.
    expect((await post(server.port, query, { 'accept-encoding': 'gzip;q=0, br;q=0' })).headers['content-encoding']).toBeUndefined();
  });

  it('compresses static text files but not binary ones', async () => {
    const page = await send(server.port, 'GET', '/', { 'accept-encoding': 'gzip' });
    expect(page.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(page.body).toString('utf8')).toContain('graph view');
    const head = await send(server.port, 'HEAD', '/assets/big.bin', { 'accept-encoding': 'gzip' });
    expect(head.headers['content-encoding']).toBeUndefined();
    expect(Number(head.headers['content-length'])).toBe(BIG_FILE_BYTES);
  });
});

describe('fan-out and cost, refused before Neo4j', () => {
  let server: TestServer;
  beforeAll(async () => {
    // A long document limit, so the fan-out check (not the document size) is what refuses.
    server = await startTestServer({ db, limits: { maxQueryChars: 200_000 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  const aliases = (n: number, field: (i: number) => string) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field(i)}`).join(' ')} }`;

  async function refused(query: string, reason: string): Promise<void> {
    const before = db.queryCount;
    const r = await graphql(server.url, query);
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0]!.extensions!.reason).toBe(reason);
    expect(r.status).toBe(400);
    expect(r.data).toBeUndefined();
    expect(db.queryCount).toBe(before);
  }

  it('refuses 330 aliases of communityGraph(scope: ALL, limit: 50000)', async () => {
    await refused(aliases(330, () => `communityGraph(hashtag: "${hashtag}", scope: ALL, limit: 50000) { truncated }`), 'TOO_MANY_ROOT_FIELDS');
    await refused(aliases(100, () => `hashtags { name }`), 'TOO_MANY_ROOT_FIELDS');
    // Through a fragment spread as well.
    await refused(`{ ...F } fragment F on Query ${aliases(21, () => 'hashtags { name }')}`, 'TOO_MANY_ROOT_FIELDS');
  });

  it('prices communityGraph by its edges: four of the largest fit, five do not', async () => {
    const field = () => `communityGraph(hashtag: "${hashtag}", scope: ALL, limit: 50000) { nodes { did } edges { source target } }`;
    await refused(aliases(5, field), 'QUERY_TOO_COMPLEX');
    const fine = await graphql(server.url, aliases(4, field));
    expect(fine.errors).toBeUndefined();
  });

  it('prices substring search and its count as scans', async () => {
    await refused(aliases(10, (i) => `actors(search: "a${i}") { totalCount }`), 'QUERY_TOO_COMPLEX');
    const fine = await graphql(server.url, aliases(4, (i) => `actors(search: "a${i}") { totalCount }`));
    expect(fine.errors).toBeUndefined();
  });

  it('refuses more than four analytics computations in one request', async () => {
    await refused(aliases(10, (i) => `centrality(metric: PAGERANK, first: ${i + 1}) { rank }`), 'TOO_MANY_ANALYTICS');
    await refused(
      `{ ${['PAGERANK', 'BETWEENNESS', 'IN_DEGREE'].map((m, i) => `c${i}: centrality(metric: ${m}) { rank }`).join(' ')} x: communities(hashtag: "${hashtag}") { id } y: communities(hashtag: "rustlang") { id } }`,
      'TOO_MANY_ANALYTICS',
    );
  });
});

describe('rate limit', () => {
  it('answers RATE_LIMITED past the burst, per client, and a key holder has its own budget', async () => {
    const key = 'k'.repeat(32);
    const server = await startTestServer({ db, env: { RATE_LIMIT_PER_MINUTE: '60', RATE_LIMIT_BURST: '5', API_KEY: key } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await post(server.port, { query: '{ hashtags { name } }' })).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      const limited = await post(server.port, { query: '{ hashtags { name } }' });
      expect(limited.status).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(json(limited).errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(json(limited).data).toBeUndefined();
      // A wrong key is counted against the address; the right one has a bucket of its own.
      expect((await post(server.port, { query: '{ hashtags { name } }' }, { authorization: 'Bearer wrong-key-wrong-key' })).status).toBe(429);
      expect((await post(server.port, { query: '{ hashtags { name } }' }, { authorization: `Bearer ${key}` })).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('listening beyond loopback', () => {
  it('refuses to start without API_KEY, and starts with one', async () => {
    await expect(startTestServer({ db, env: { HOST: '0.0.0.0' } })).rejects.toThrow(/API_KEY: HOST=0\.0\.0\.0 is not a loopback address/);
    const server = await startTestServer({ db, env: { HOST: '0.0.0.0', API_KEY: 'k'.repeat(32) } });
    try {
      const r = await post(server.port, { query: '{ hashtags { name } }' }, { host: `127.0.0.1:${server.port}` });
      expect(r.status).toBe(200);
      expect((await post(server.port, { query: '{ hashtags { name } }' }, { host: 'evil.example' })).status).toBe(421);
    } finally {
      await server.close();
    }
  });
});
