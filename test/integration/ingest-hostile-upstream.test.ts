/**
 * A hostile upstream must not hang, exhaust or mislead a run. The real crawler against the devnet
 * over real HTTP, into real Neo4j, with one targeted fault at a time: bodies that drip or never
 * end, follow lists that never end, loop, pause on an empty page or vanish mid-list, and a search
 * outage. Where the crawler must keep a member's stored follows, a stale edge planted before the
 * run (one the real list does not have) shows whether the list was treated as complete.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { groundTruth, startDevnet, type Devnet, type Faults } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import type { IngestRunRecord } from '../../src/core/ingest-run.js';
import { createLogger } from '../../src/logging/logger.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { configFor, diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const logger = createLogger('silent');
const FOLLOWS = 'app.bsky.graph.getFollows';
let db: GraphDatabase;
let devnet: Devnet;
/** The member with the longest follow list (more than one page), and one with a short list. */
let big: string;
let small: string;
/** Not on the devnet at all: an account the member followed once, before the run. */
const stranger = 'did:plc:stalefollowtargetnotonnet';
let truthOf: (did: string) => string[];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 60, seed: 31, rateLimit: false });
  const truth = groundTruth(devnet.community);
  const lists = new Map<string, string[]>();
  truth.edges.forEach((s, t) => lists.set(s, [...(lists.get(s) ?? []), t]));
  truthOf = (did) => [...(lists.get(did) ?? [])].sort();
  const byLength = [...truth.members].sort((a, b) => truthOf(b).length - truthOf(a).length);
  big = byLength[0]!;
  small = byLength.find((d) => truthOf(d).length > 0 && truthOf(d).length < 50)!;
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

function service(extra: Record<string, string> = {}): IngestService {
  return new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '8', ...extra }), logger });
}

async function ingest(faults: Faults, extra: Record<string, string> = {}): Promise<IngestRunRecord> {
  devnet.setFaults(faults);
  devnet.resetStats();
  try {
    return await service(extra).run({ hashtag: 'databs' });
  } finally {
    devnet.setFaults({});
  }
}

async function storedFollows(did: string): Promise<string[]> {
  const rows = await db.read<{ t: string }>('MATCH (:Actor {did: $did})-[:FOLLOWS]->(b:Actor) RETURN b.did AS t', { did });
  return rows.map((r) => r.t).sort();
}

/** An edge the real list does not have, old enough to be deleted by a run that reads the list to its end. */
async function plantStaleEdge(did: string): Promise<void> {
  await db.autoCommit(
    `MATCH (a:Actor {did: $did}) MERGE (b:Actor {did: $stranger}) ON CREATE SET b.handle = 'stranger.devnet.test'
     MERGE (a)-[f:FOLLOWS]->(b) SET f.seenAt = 0`,
    { did, stranger },
  );
}

async function removeStaleEdges(): Promise<void> {
  await db.autoCommit('MATCH (:Actor)-[f:FOLLOWS]->(:Actor {did: $stranger}) WHERE f.seenAt = 0 DELETE f', { stranger });
}

async function followsComplete(runId: string, did: string): Promise<boolean | null> {
  const rows = await db.read<{ c: boolean | null }>('MATCH (:IngestRun {id: $runId})-[s:SAW]->(:Actor {did: $did}) RETURN s.followsComplete AS c', { runId, did });
  return rows[0]?.c ?? null;
}

async function expectGraphIsTruth(): Promise<void> {
  const expected = truthSnapshot(devnet.community);
  const actual = await snapshotCommunity(db, 'databs');
  expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF({ members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] }));
}

describe('ingest against a hostile upstream', () => {
  jest.setTimeout(120_000);

  it('starts from a clean ingest equal to the ground truth', async () => {
    expect(truthOf(big).length).toBeGreaterThan(100);
    expect(truthOf(small).length).toBeGreaterThan(0);
    const run = await ingest({});
    expect(run.status).toBe('SUCCEEDED');
    await expectGraphIsTruth();
  });

  describe('follow lists that never end or lie about ending', () => {
    it.each(['empty', 'repeat'] as const)('an endless cursor (%s pages) ends the run and keeps the member\u2019s stored edges', async (pages) => {
      await plantStaleEdge(big);
      const before = await storedFollows(big);
      const run = await ingest({ endlessFollows: { actors: [big], pages } }, { BSKY_MAX_FOLLOW_PAGES: '12' });
      expect(run.status).toBe('SUCCEEDED');
      expect(await followsComplete(run.id, big)).toBe(false);
      expect(await storedFollows(big)).toEqual(before);
      expect(before).toContain(stranger);
      expect(run.removedFollows).toBe(0);
      // Exactly the page cap for that member: the crawler stopped itself.
      expect(devnet.stats().faultsInjected.lists).toBe(12);
      await removeStaleEdges();
    });

    it('a repeated cursor marks the member incomplete and keeps its edges', async () => {
      await plantStaleEdge(big);
      const before = await storedFollows(big);
      const run = await ingest({ repeatedCursor: { actors: [big], atPage: 2 } });
      expect(run.status).toBe('SUCCEEDED');
      expect(await followsComplete(run.id, big)).toBe(false);
      expect(await storedFollows(big)).toEqual(before);
      expect(run.removedFollows).toBe(0);
      await removeStaleEdges();
    });

    it('an empty page that carries a cursor is followed: the whole list is read, and only then are unseen edges deleted', async () => {
      await plantStaleEdge(big);
      await plantStaleEdge(small);
      const run = await ingest({ emptyFollowsPage: { actors: [big, small], atPage: 1 } });
      expect(run.status).toBe('SUCCEEDED');
      expect(devnet.stats().faultsInjected.lists).toBe(2);
      expect(await followsComplete(run.id, big)).toBe(true);
      expect(await storedFollows(big)).toEqual(truthOf(big));
      expect(await storedFollows(small)).toEqual(truthOf(small));
      expect(run.removedFollows).toBe(2);
      await expectGraphIsTruth();
    });

    it.each(['InvalidRequest', 'AccountDeactivated'] as const)('a mid-list 400 (%s) on page 2 keeps the member\u2019s stored edges', async (error) => {
      await plantStaleEdge(big);
      const before = await storedFollows(big);
      const run = await ingest({ followsError: { actors: [big], atPage: 2, error } });
      expect(run.status).toBe('SUCCEEDED');
      expect(devnet.stats().statusCounts['400']).toBe(1);
      expect(await followsComplete(run.id, big)).toBe(false);
      expect(await storedFollows(big)).toEqual(before);
      expect(run.removedFollows).toBe(0);
      await removeStaleEdges();
    });
  });

  it('a transiently empty search on a re-ingest prunes no one', async () => {
    await expectGraphIsTruth();
    const before = await snapshotCommunity(db, 'databs');
    const run = await ingest({ emptySearch: { calls: 1 } });
    expect(run.status).toBe('SUCCEEDED');
    expect(devnet.stats().faultsInjected.emptySearches).toBe(1);
    expect(run.counters.posts).toBe(0);
    expect(run.removedMembers).toBe(0);
    expect(run.removedFollows).toBe(0);
    expect(await snapshotCommunity(db, 'databs')).toEqual(before);
  });

  describe('bodies that drip or never end', () => {
    it('a dripping body times out and is retried; the run then succeeds', async () => {
      const started = Date.now();
      const run = await ingest(
        { dripBody: { method: FOLLOWS, actors: [big], times: 1, bytesPerTick: 1, tickMs: 100 } },
        { BSKY_REQUEST_TIMEOUT_MS: '1000' },
      );
      const ms = Date.now() - started;
      expect(run.status).toBe('SUCCEEDED');
      expect(run.counters.retries).toBeGreaterThanOrEqual(1);
      expect(devnet.stats().faultsInjected.drips).toBe(1);
      expect(ms).toBeLessThan(15_000);
      await expectGraphIsTruth();
      console.log(`drip once → retried, run succeeded in ${ms} ms`);
    });

    it('a body that always drips fails the run within bounded time', async () => {
      const started = Date.now();
      const run = await ingest(
        { dripBody: { method: FOLLOWS, actors: [big], bytesPerTick: 1, tickMs: 100 } },
        { BSKY_REQUEST_TIMEOUT_MS: '800', BSKY_MAX_RETRIES: '2' },
      );
      const ms = Date.now() - started;
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/app\.bsky\.graph\.getFollows failed after 3 attempts: .*timed out after 800 ms/);
      expect(devnet.stats().faultsInjected.drips).toBe(3);
      // 3 × 800 ms plus backoff (≤ 250 + 500 ms): far from hanging.
      expect(ms).toBeLessThan(10_000);
      await expectGraphIsTruth();
      console.log(`always dripping → run failed in ${ms} ms`);
    });

    it('cancelling a run mid-download returns within seconds', async () => {
      devnet.setFaults({ dripBody: { method: FOLLOWS, actors: [big], bytesPerTick: 1, tickMs: 200 } });
      devnet.resetStats();
      const svc = service({ BSKY_REQUEST_TIMEOUT_MS: '600000' });
      try {
        const started = await svc.start({ hashtag: 'databs' });
        const deadline = Date.now() + 20_000;
        while (devnet.stats().faultsInjected.drips === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        expect(devnet.stats().faultsInjected.drips).toBe(1);
        await new Promise((r) => setTimeout(r, 500));
        const cancelledAt = Date.now();
        const run = await svc.cancel(started.id);
        const ms = Date.now() - cancelledAt;
        expect(run.status).toBe('CANCELLED');
        expect(ms).toBeLessThan(3_000);
        // The download was abandoned, not finished: the server saw its client hang up.
        const closeBy = Date.now() + 2_000;
        while (devnet.stats().inFlight > 0 && Date.now() < closeBy) await new Promise((r) => setTimeout(r, 20));
        expect(devnet.stats().inFlight).toBe(0);
        console.log(`cancel mid-download returned in ${ms} ms`);
      } finally {
        devnet.setFaults({});
      }
      await expectGraphIsTruth();
    });

    it.each([true, false])('an oversized body (Content-Length declared: %s) fails the run at once with a clear error', async (declareLength) => {
      const run = await ingest(
        { oversizedBody: { method: FOLLOWS, actors: [big], bytes: 8 * 1024 * 1024, declareLength } },
        { BSKY_MAX_BODY_BYTES: String(1024 * 1024) },
      );
      expect(run.status).toBe('FAILED');
      expect(run.error).toMatch(/^app\.bsky\.graph\.getFollows response body is .*; the limit is 1048576 bytes \(BSKY_MAX_BODY_BYTES\)$/);
      expect(run.error).toContain(declareLength ? '8388608 bytes (Content-Length)' : 'more than 1048576 bytes');
      // Not retried: downloading it again would only repeat the failure.
      expect(devnet.stats().faultsInjected.oversized).toBe(1);
      await expectGraphIsTruth();
    });
  });
});
