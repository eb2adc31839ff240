/**
 * API_KEY: mutations and export downloads need `Authorization: Bearer <key>`; queries are open
 * unless API_KEY_QUERIES; without a key everything is open. The key never appears in a response
 * or a log line.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportService } from '../../src/export/export-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { errorCode, graphql } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const KEY = 'k3y-0f-the-graph-api-7c1d9e';
const UNKNOWN_RUN = '00000000-0000-0000-0000-000000000000';
// Passing auth shows as NOT_FOUND (the run does not exist); failing it as UNAUTHENTICATED.
const MUTATION = `mutation { cancelIngest(id: "${UNKNOWN_RUN}") { id } }`;
const QUERY = `{ hashtags { name } }`;

let db: GraphDatabase;
let dir: string;
let exportId: string;
const servers: TestServer[] = [];

async function start(env: Record<string, string>): Promise<TestServer> {
  const s = await startTestServer({ db, env, exports: new ExportService(db, dir) });
  servers.push(s);
  return s;
}

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  await loadGraph(db, buildApiFixture());
  dir = await mkdtemp(join(tmpdir(), 'gql-auth-'));
  exportId = (await new ExportService(db, dir).create({ hashtag: 'databs', scope: 'COMMUNITY', format: 'CSV' })).id;
}, 120_000);

afterAll(async () => {
  for (const s of servers) await s.close();
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('with API_KEY set', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await start({ API_KEY: KEY });
  });

  it.each([
    ['no header', undefined],
    ['a wrong key', { authorization: 'Bearer not-the-key-at-all-000' }],
    ['the key with a suffix', { authorization: `Bearer ${KEY}x` }],
    ['a prefix of the key', { authorization: `Bearer ${KEY.slice(0, -1)}` }],
    ['the key without Bearer', { authorization: KEY }],
    ['Basic auth', { authorization: `Basic ${Buffer.from(`neo4j:${KEY}`).toString('base64')}` }],
    ['the key in another header', { 'x-api-key': KEY }],
  ])('refuses a mutation with %s: 401 UNAUTHENTICATED before any resolver runs', async (_name, headers) => {
    const before = db.queryCount;
    const r = await graphql(server.url, MUTATION, undefined, { headers });
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    expect(r.data).toBeUndefined();
    expect(db.queryCount).toBe(before);
    expect(r.text).not.toContain(KEY);
  });

  it('accepts a mutation with the key (case-insensitive scheme)', async () => {
    expect(errorCode(await graphql(server.url, MUTATION, undefined, { apiKey: KEY }))).toBe('NOT_FOUND');
    expect(errorCode(await graphql(server.url, MUTATION, undefined, { headers: { authorization: `bearer ${KEY}` } }))).toBe('NOT_FOUND');
  });

  it('refuses a mutation hidden behind an operation name or next to a query', async () => {
    const r = await graphql(server.url, `query Q { hashtags { name } } mutation M { cancelIngest(id: "${UNKNOWN_RUN}") { id } }`, undefined, {});
    expect(errorCode(r)).toBe('BAD_USER_INPUT'); // two operations, none chosen
    const body = JSON.stringify({ query: `query Q { hashtags { name } } mutation M { cancelIngest(id: "${UNKNOWN_RUN}") { id } }`, operationName: 'M' });
    const m = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(m.status).toBe(401);
  });

  it('leaves queries open', async () => {
    const r = await graphql(server.url, QUERY);
    expect(r.errors).toBeUndefined();
    expect(r.data!.hashtags.length).toBeGreaterThan(0);
  });

  it('guards export downloads', async () => {
    const url = `${server.url}/exports/${exportId}`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await anonymous.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-wrong-wrong-wrong' } })).status).toBe(401);
    // Unknown ids are not revealed to callers without the key either.
    expect((await fetch(`${server.url}/exports/nope`)).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: `Bearer ${KEY}` } });
    expect(ok.status).toBe(200);
    expect((await ok.text()).startsWith('source,target,')).toBe(true);
  });

  it('never writes the key to the log', async () => {
    await graphql(server.url, MUTATION, undefined, { apiKey: KEY });
    await graphql(server.url, MUTATION, undefined, { headers: { authorization: `Bearer ${KEY}x` } });
    expect(server.logLines.length).toBeGreaterThan(0);
    expect(server.logLines.join('\n')).not.toContain(KEY);
  });
});

describe('with API_KEY and API_KEY_QUERIES', () => {
  it('guards queries too', async () => {
    const server = await start({ API_KEY: KEY, API_KEY_QUERIES: 'true' });
    const r = await graphql(server.url, QUERY);
    expect(r.status).toBe(401);
    expect(errorCode(r)).toBe('UNAUTHENTICATED');
    const get = await graphql(server.url, QUERY, undefined, { method: 'GET' });
    expect(get.status).toBe(401);
    const ok = await graphql(server.url, QUERY, undefined, { apiKey: KEY });
    expect(ok.errors).toBeUndefined();
  });
});

describe('without API_KEY', () => {
  it('lets mutations and downloads through', async () => {
    const server = await start({});
    expect(errorCode(await graphql(server.url, MUTATION))).toBe('NOT_FOUND');
    expect((await fetch(`${server.url}/exports/${exportId}`)).status).toBe(200);
  });
});
