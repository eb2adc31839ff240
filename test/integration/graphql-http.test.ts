/** The HTTP surface around GraphQL: the graph view's static files and a graceful close. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GraphDatabase } from '../../src/graph/database.js';
import { graphql } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let root: string;
let webDir: string;
let someDid: string;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  const fixture = buildApiFixture();
  await loadGraph(db, fixture);
  someDid = fixture.actors[0]!.did;
  root = await mkdtemp(join(tmpdir(), 'gql-web-'));
  webDir = join(root, 'dist');
  await mkdir(join(webDir, 'assets'), { recursive: true });
  await writeFile(join(webDir, 'index.html'), '<!doctype html><title>graph view</title>');
  await writeFile(join(webDir, 'assets', 'app-1234.js'), 'console.log("graph")');
  await writeFile(join(root, 'secret.txt'), 'outside the web root');
}, 120_000);

afterAll(async () => {
  await db?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

/** Raw request, so paths reach the server exactly as written (fetch would normalise ../). */
function rawGet(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static files', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ db, webDir });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('serves the graph view at /, its assets, and index.html for client-side routes', async () => {
    const index = await rawGet(server.port, '/');
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toMatch(/text\/html/);
    expect(index.body).toContain('graph view');
    const asset = await rawGet(server.port, '/assets/app-1234.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await rawGet(server.port, '/actor/alice.bsky.social', 'GET', { accept: 'text/html,application/xhtml+xml' })).body).toContain('graph view');
    expect((await rawGet(server.port, '/communities')).body).toContain('graph view');
    const head = await rawGet(server.port, '/assets/app-1234.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await rawGet(server.port, '/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside the web root', async () => {
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%2e%2e/secret.txt', '/assets/%00.js']) {
      const r = await rawGet(server.port, path);
      expect(r.body).not.toContain('outside the web root');
      expect(r.status).toBeLessThan(500);
    }
    expect((await rawGet(server.port, '/%E0%A4%A')).status).toBe(400);
  });

  it('keeps /graphql and /healthz ahead of the static files', async () => {
    const r = await graphql(server.url, `query($id: String!) { actor(handleOrDid: $id) { did } }`, { id: someDid });
    expect(r.data).toEqual({ actor: { did: someDid } });
    expect((await rawGet(server.port, '/healthz')).status).toBe(200);
  });

  it('forbids caches to keep GraphQL answers, GET queries included (they change with every ingest)', async () => {
    const get = await fetch(`${server.url}/graphql?query=${encodeURIComponent('{ hashtags { name } }')}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('cache-control')).toBe('no-store');
  });
});

describe('close', () => {
  it('lets a request in flight finish, then refuses connections; closing twice is harmless', async () => {
    const server = await startTestServer({ db, limits: { stopGraceMs: 5_000 } });
    const before = db.queryCount;
    const inFlight = graphql(server.url, `query($a: String!) { neighbourhood(actor: $a, depth: 3, limit: 5000) { nodes { did handle followersCount } edges { source } } }`, { a: someDid });
    // Close once the server is working on it (its first query ran): the request is in flight.
    while (db.queryCount === before) await new Promise((done) => setTimeout(done, 1));
    const closing = server.close();
    const r = await inFlight;
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data!.neighbourhood.nodes.length).toBeGreaterThan(100);
    await closing;
    await server.close();
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('does not wait for idle keep-alive connections', async () => {
    const server = await startTestServer({ db, limits: { stopGraceMs: 30_000 } });
    await fetch(`${server.url}/healthz`, { keepalive: true }); // leaves an idle pooled socket
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
