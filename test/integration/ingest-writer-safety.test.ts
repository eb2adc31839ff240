/**
 * The writer model under the calls that used to wipe a community: concurrent starts and resumes
 * over real HTTP, resuming a run older than a newer success, a run whose lease is taken from it,
 * a dead run's lease lapsing, a search that finds nothing, and a prune larger than the allowed
 * share. Each ends with the exact ground-truth graph or the previous one — never a smaller one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { spawnCli } from '../support/cli.js';
import { killWhen, latestRunState } from '../support/crash.js';
import { configFor, diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { errorCode, graphql } from '../support/graphql-client.js';
import { waitForRun } from '../support/ingest-runs.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const LEASE_TTL_MS = '4000';
let db: GraphDatabase;
let devnet: Devnet;
let ingest: IngestService;
let server: TestServer;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 60, seed: 41, searchCap: 100, rateLimit: false, faults: { latencyMs: [2, 6] } });
  ingest = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '4', INGEST_LEASE_TTL_MS: LEASE_TTL_MS }), logger: createLogger('silent') });
  server = await startTestServer({ db, ingest });
}, 120_000);

afterAll(async () => {
  await ingest?.shutdown();
  await server?.close();
  await devnet?.close();
  await db?.close();
});

const START = `mutation($i: IngestInput!) { startIngest(input: $i) { id status } }`;
const RESUME = `mutation($id: ID!) { resumeIngest(id: $id) { id status } }`;
const RUN = 'id status stage error members follows removedMembers removedFollows';
const settled = (id: string) => waitForRun(server.url, RUN, id);
const waitForStage = (id: string, stage: string) => waitForRun(server.url, RUN, id, { stage, timeoutMs: 12_000, pollMs: 20 });

async function expectExactTruth() {
  const expected = truthSnapshot(devnet.community);
  const actual = await snapshotCommunity(db, 'databs');
  const sizes = { members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] };
  expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF(sizes));
}

describe('one writer per hashtag', () => {
  it('8 simultaneous startIngest over HTTP: exactly one run, 7 CONFLICT naming it, the exact graph', async () => {
    devnet.setFaults({ latencyMs: [20, 40] });
    const replies = await Promise.all(Array.from({ length: 8 }, () => graphql(server.url, START, { i: { hashtag: 'databs' } })));
    const started = replies.filter((r) => !r.errors).map((r) => r.data!.startIngest.id as string);
    const codes = replies.filter((r) => r.errors).map(errorCode);
    expect(started).toHaveLength(1);
    expect(codes).toEqual(Array(7).fill('CONFLICT'));
    for (const r of replies.filter((x) => x.errors)) expect(r.errors![0]!.message).toContain(started[0]);
    devnet.setFaults({ latencyMs: [2, 6] });
    expect(await settled(started[0]!)).toMatchObject({ status: 'SUCCEEDED', error: null });
    const runs = await db.read<{ n: number }>(`MATCH (r:IngestRun {hashtag: 'databs'}) RETURN count(r) AS n`);
    expect(Number(runs[0]!.n)).toBe(1);
    await expectExactTruth();
  }, 120_000);

  it('resuming a run older than a newer success is refused and changes nothing', async () => {
    devnet.setFaults({ latencyMs: [30, 60] });
    const old = (await graphql(server.url, START, { i: { hashtag: 'databs' } })).data!.startIngest.id as string;
    await waitForStage(old, 'FOLLOWS');
    const cancelled = await graphql(server.url, `mutation($id: ID!) { cancelIngest(id: $id) { status } }`, { id: old });
    expect(cancelled.data!.cancelIngest.status).toBe('CANCELLED');
    devnet.setFaults({ latencyMs: [2, 6] });
    const newer = (await graphql(server.url, START, { i: { hashtag: 'databs' } })).data!.startIngest.id as string;
    expect((await settled(newer)).status).toBe('SUCCEEDED');

    const resumed = await graphql(server.url, RESUME, { id: old });
    expect(errorCode(resumed)).toBe('BAD_USER_INPUT');
    expect(resumed.errors![0]!.message).toContain(newer);
    expect((await settled(old)).status).toBe('CANCELLED');
    await expectExactTruth();
  }, 120_000);

  it('two simultaneous resumeIngest of one run start it once', async () => {
    devnet.setFaults({ latencyMs: [30, 60] });
    const id = (await graphql(server.url, START, { i: { hashtag: 'databs' } })).data!.startIngest.id as string;
    await waitForStage(id, 'FOLLOWS');
    await graphql(server.url, `mutation($id: ID!) { cancelIngest(id: $id) { status } }`, { id });
    devnet.setFaults({ latencyMs: [2, 6] });
    const replies = await Promise.all(Array.from({ length: 4 }, () => graphql(server.url, RESUME, { id })));
    expect(replies.filter((r) => !r.errors)).toHaveLength(1);
    expect(replies.filter((r) => r.errors).map(errorCode)).toEqual(Array(3).fill('BAD_USER_INPUT'));
    expect((await settled(id)).status).toBe('SUCCEEDED');
    await expectExactTruth();
  }, 120_000);

  it('a run whose lease is taken over writes nothing more and ends FAILED, saying why', async () => {
    devnet.setFaults({ latencyMs: [150, 250] });
    const id = (await graphql(server.url, START, { i: { hashtag: 'databs' } })).data!.startIngest.id as string;
    await waitForStage(id, 'FOLLOWS');
    // As if its heartbeats had stopped reaching Neo4j: the lease lapses and a new start takes it.
    await db.write(`MATCH (l:IngestLease {hashtag: 'databs'}) SET l.expiresAt = 0`);
    const taker = await graphql(server.url, START, { i: { hashtag: 'databs' } });
    expect(taker.errors).toBeUndefined();
    const fresh = taker.data!.startIngest.id as string;
    const progress = async () => {
      const rows = await db.read<{ done: number }>(`MATCH (:IngestRun {id: $id})-[s:SAW {followsDone: true}]->() RETURN count(s) AS done`, { id });
      return Number(rows[0]!.done);
    };
    const atTakeover = await progress();
    const ended = await settled(id);
    // Either the taker marked it (interrupted) or its own heartbeat saw the lapse first.
    expect(ended).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/interrupted|no longer holds the lease/) });
    // It went on fetching until it noticed, but none of its batches committed after the takeover.
    expect(await progress()).toBe(atTakeover);
    expect(atTakeover).toBeLessThan(60);
    devnet.setFaults({ latencyMs: [2, 6] });
    expect(await settled(fresh)).toMatchObject({ status: 'SUCCEEDED', error: null });
    await expectExactTruth();
  }, 120_000);

  it('kill -9: the dead run holds its hashtag only until its lease lapses; cancelIngest then ends it', async () => {
    const env = {
      NEO4J_URI: process.env.NEO4J_URI,
      NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
      BSKY_SERVICE: devnet.url,
      BSKY_IDENTIFIER: devnet.credentials.identifier,
      BSKY_APP_PASSWORD: devnet.credentials.password,
      BSKY_CONCURRENCY: '1',
      LOG_LEVEL: 'error',
      INGEST_LEASE_TTL_MS: LEASE_TTL_MS,
    };
    devnet.setFaults({ latencyMs: [150, 250] });
    await killWhen(db, 'databs', spawnCli(['ingest', 'databs', '--json'], env), (s) => s.status === 'RUNNING' && s.membersDone >= 1);
    const dead = (await latestRunState(db, 'databs'))!;
    expect(dead.status).toBe('RUNNING');
    expect(errorCode(await graphql(server.url, START, { i: { hashtag: 'databs' } }))).toBe('CONFLICT');
    await new Promise((done) => setTimeout(done, Number(LEASE_TTL_MS) + 500));
    const cancelled = await graphql(server.url, `mutation($id: ID!) { cancelIngest(id: $id) { status error } }`, { id: dead.id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelIngest.status).toBe('CANCELLED');
    devnet.setFaults({ latencyMs: [2, 6] });
    const fresh = (await graphql(server.url, START, { i: { hashtag: 'databs' } })).data!.startIngest.id as string;
    expect(await settled(fresh)).toMatchObject({ status: 'SUCCEEDED', error: null });
    await expectExactTruth();
  }, 120_000);
});

describe('pruning only on complete evidence', () => {
  it('a search that finds nothing removes nothing', async () => {
    // Same accounts, but their posts carry another tag: #databs search comes back empty.
    const empty = await startDevnet({ members: 60, seed: 41, hashtag: 'elsewhere', searchCap: 100, rateLimit: false });
    try {
      const other = new IngestService({ db, config: configFor(empty, { INGEST_LEASE_TTL_MS: LEASE_TTL_MS }), logger: createLogger('silent') });
      const run = await other.run({ hashtag: 'databs' });
      expect(run).toMatchObject({ status: 'SUCCEEDED', removedMembers: 0, removedFollows: 0 });
    } finally {
      await empty.close();
    }
    await expectExactTruth();
  }, 120_000);

  it('a prune of more than half the community stops before deleting; --allow-shrink lets it through and records what went', async () => {
    const before = await snapshotCommunity(db, 'databs');
    const smaller = await startDevnet({ members: 20, seed: 42, searchCap: 100, rateLimit: false });
    try {
      const other = new IngestService({ db, config: configFor(smaller, { INGEST_LEASE_TTL_MS: LEASE_TTL_MS }), logger: createLogger('silent') });
      const refused = await other.run({ hashtag: 'databs' });
      expect(refused.status).toBe('FAILED');
      expect(refused.error).toMatch(/refusing to prune: this run would remove 60 of 80 members \(75%\)/);
      expect(refused.error).toMatch(/--allow-shrink/);
      const kept = await snapshotCommunity(db, 'databs');
      // Nothing deleted: the old members and edges are all there (plus what the new crawl added).
      expect(before.members.every((m) => kept.members.includes(m))).toBe(true);
      expect(before.edges.every((e) => kept.edges.includes(e))).toBe(true);

      const allowed = await other.resumeAndWait(refused.id, { allowShrink: true });
      expect(allowed).toMatchObject({ status: 'SUCCEEDED', removedMembers: 60 });
      expect(allowed.removedFollows).toBeGreaterThan(0);
      const expected = truthSnapshot(smaller.community);
      const actual = await snapshotCommunity(db, 'databs');
      expect(actual.members).toEqual(expected.members);
    } finally {
      await smaller.close();
    }
  }, 120_000);
});
