/**
 * The real crawler against the project's devnet over real HTTP, into real Neo4j: the graph must
 * equal the generated ground truth exactly, under faults and rate limits, and with few requests.
 * Each test starts its own devnet on an empty graph, so any one of them can run alone.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { renameHandles, rMin, rngFor, startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { configFor, diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const logger = createLogger('warn');
let db: GraphDatabase;
let devnet: Devnet | undefined;

beforeAll(() => {
  db = openTestDatabase();
});

beforeEach(async () => {
  await resetGraph(db);
});

afterEach(async () => {
  await devnet?.close();
  devnet = undefined;
});

afterAll(async () => {
  await db.close();
});

async function expectGraphIsTruth(net: Devnet, community = net.community): Promise<void> {
  const expected = truthSnapshot(community);
  const actual = await snapshotCommunity(db, 'databs');
  expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF({ members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] }));
}

describe('ingest against devnet', () => {
  jest.setTimeout(180_000);

  it('builds exactly the ground-truth graph with close to R_min requests', async () => {
    const net = (devnet = await startDevnet({ members: 80, seed: 11, searchCap: 120, rateLimit: false }));
    const service = new IngestService({ db, config: configFor(net, { BSKY_CONCURRENCY: '8' }), logger });
    const run = await service.run({ hashtag: 'databs' });
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');

    const expected = truthSnapshot(net.community);
    await expectGraphIsTruth(net);
    expect(expected.members.length).toBeGreaterThan(30);

    // Requests: R_min plus the one sign-in; the search cap forced `until` windows.
    const floor = rMin(net.community, { searchCap: 120 });
    const stats = net.stats();
    const reads = stats.requests - stats.createSessionCalls - stats.refreshSessionCalls;
    expect(stats.createSessionCalls).toBe(1);
    expect(reads).toBeGreaterThanOrEqual(floor);
    expect(reads).toBeLessThanOrEqual(Math.ceil(floor * 1.02) + 1);
    expect(run.counters.members).toBe(expected.members.length);
    expect(run.counters.follows).toBe(expected.edges.length);
  });

  it('re-ingest reflects handle changes and keeps one node per DID', async () => {
    const net = (devnet = await startDevnet({ members: 40, seed: 11, searchCap: 120, rateLimit: false }));
    const service = new IngestService({ db, config: configFor(net), logger });
    expect((await service.run({ hashtag: 'databs' })).status).toBe('SUCCEEDED');
    await expectGraphIsTruth(net);

    const renamed = renameHandles(net.community, 10, rngFor(5, 'rename'));
    net.setCommunity(renamed);
    const run = await service.run({ hashtag: 'databs' });
    expect(run.status).toBe('SUCCEEDED');
    await expectGraphIsTruth(net, renamed);
    const dupes = await db.read<{ n: number }>('MATCH (a:Actor) WITH a.did AS did, count(*) AS c WHERE c > 1 RETURN count(*) AS n');
    expect(dupes[0]!.n).toBe(0);
  });

  it('is exact under 3% server errors, 5% connection resets, 2 s stalls and a rate limit that forces 429s', async () => {
    const net = (devnet = await startDevnet({
      members: 150,
      seed: 23,
      searchCap: 150,
      rateLimit: { requests: 40, seconds: 1 },
      faults: { errorRate: 0.03, resetRate: 0.05, stallRate: 0.02, stallMs: 2000, latencyMs: [60, 100], seed: 4 },
    }));
    // The client believes in ten times the real budget, and a noisy neighbour on the same IP
    // spends part of it behind the crawler's back: only the server's headers and 429s tell.
    const config = configFor(net, { BSKY_RATE_LIMIT: '400/1', BSKY_CONCURRENCY: '16', BSKY_MAX_RETRIES: '8' });
    const service = new IngestService({ db, config, logger });
    let crawling = true;
    const neighbour = (async () => {
      for (let i = 0; crawling && i < 2000; i++) {
        await fetch(`${net.url}/xrpc/app.bsky.actor.getProfile?actor=x`).then((r) => r.arrayBuffer()).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const run = await service.run({ hashtag: 'databs' });
    crawling = false;
    await neighbour;
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    const stats = net.stats();
    expect(stats.faultsInjected.errors).toBeGreaterThan(0);
    expect(stats.faultsInjected.resets).toBeGreaterThan(0);
    expect(stats.rateLimited).toBeGreaterThan(0);
    // Retries of faults and 429s cost requests, but a 429 storm would cost far more.
    expect(stats.rateLimited).toBeLessThan(40);
    await expectGraphIsTruth(net);
  });
});
