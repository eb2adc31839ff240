/**
 * BSKY_FOLLOWS_FROM=repo against the devnet over real HTTP, into real Neo4j: follows read as
 * records from each member's PDS (found through its DID document at BSKY_PLC), so every edge
 * carries its record's rkey and createdAt; followed accounts' profiles are filled in afterwards.
 * The graph must equal the ground truth exactly, as the AppView mode's does, and the two modes
 * must agree edge for edge when they crawl the same community one after the other.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { LiveCommunity, startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { configFor, diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { graphql } from '../support/graphql-client.js';
import { startTestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(180_000);

const logger = createLogger('warn');
let db: GraphDatabase;
let devnet: Devnet;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 80, seed: 17, rateLimit: false });
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

async function expectGraphIsTruth(): Promise<void> {
  const expected = truthSnapshot(devnet.community);
  const actual = await snapshotCommunity(db, 'databs');
  expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF({ members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] }));
}

/** The devnet's follow records, member by member: "source subject" → record. */
function devnetRecords(): Map<string, { rkey: string; createdAt: string }> {
  const repos = new LiveCommunity(devnet.community);
  const out = new Map<string, { rkey: string; createdAt: string }>();
  for (const a of repos.actors()) for (const r of repos.followRecords(a.did)) out.set(`${a.did} ${r.subject}`, { rkey: r.rkey, createdAt: r.createdAt });
  return out;
}

async function storedRecords(): Promise<Map<string, { rkey: string | null; createdAt: string | null }>> {
  const rows = await db.read<{ e: string; rkey: string | null; createdAt: string | null }>(
    `MATCH (:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(a:Actor)-[f:FOLLOWS]->(b:Actor) RETURN a.did + ' ' + b.did AS e, f.rkey AS rkey, f.createdAt AS createdAt`,
  );
  return new Map(rows.map((r) => [r.e, { rkey: r.rkey, createdAt: r.createdAt }]));
}

describe('ingest with follows read from members’ repositories', () => {
  it('builds the ground-truth graph, every edge with its record’s rkey and createdAt, every account with its profile', async () => {
    const before = devnet.stats();
    const service = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '8', BSKY_FOLLOWS_FROM: 'repo', BSKY_PLC: devnet.url }), logger });
    const run = await service.run({ hashtag: 'databs' });
    expect(run.error).toBeNull();
    expect(run.status).toBe('SUCCEEDED');
    await expectGraphIsTruth();

    const records = devnetRecords();
    const stored = await storedRecords();
    expect(stored.size).toBeGreaterThan(200);
    const wrong = [...stored].filter(([e, r]) => records.get(e)?.rkey !== r.rkey || records.get(e)?.createdAt !== r.createdAt);
    expect(wrong.slice(0, 5)).toEqual([]);

    // Followed accounts outside the community came as bare DIDs; their profiles were read after.
    const bare = await db.read(`MATCH (:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(:Actor)-[:FOLLOWS]->(b:Actor) WHERE b.handle IS NULL RETURN b.did`);
    expect(bare).toEqual([]);

    // The follows came from listRecords and DID documents, not from getFollows.
    const after = devnet.stats();
    const calls = (m: string) => (after.byMethod[m] ?? 0) - (before.byMethod[m] ?? 0);
    expect(calls('app.bsky.graph.getFollows')).toBe(0);
    expect(calls('com.atproto.repo.listRecords')).toBeGreaterThanOrEqual(truthSnapshot(devnet.community).members.length);
  });

  it('an AppView crawl of the same community after it gives the same graph and keeps the records’ keys', async () => {
    const service = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '8' }), logger });
    const run = await service.run({ hashtag: 'databs' });
    expect(run.status).toBe('SUCCEEDED');
    await expectGraphIsTruth();
    const stored = await storedRecords();
    expect([...stored.values()].filter((r) => r.rkey === null)).toEqual([]);
  });

  it('one run chooses REPO over GraphQL on a server configured for the AppView, and a wrong choice is a clear error', async () => {
    await resetGraph(db);
    const ingest = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '8', BSKY_PLC: devnet.url }), logger });
    const server = await startTestServer({ db, ingest });
    try {
      const before = devnet.stats();
      const started = await graphql<{ startIngest: { id: string; followsFrom: string } }>(server.url, `mutation { startIngest(input: { hashtag: "databs", followsFrom: REPO }) { id followsFrom } }`);
      expect(started.errors).toBeUndefined();
      expect(started.data!.startIngest.followsFrom).toBe('REPO');
      const id = started.data!.startIngest.id;
      let run: { status: string; followsFrom: string } | null = null;
      for (let i = 0; i < 600 && run?.status !== 'SUCCEEDED' && run?.status !== 'FAILED'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        run = (await graphql<{ ingestRun: { status: string; followsFrom: string } }>(server.url, `query($id: ID!) { ingestRun(id: $id) { status followsFrom } }`, { id })).data!.ingestRun;
      }
      expect(run).toEqual({ status: 'SUCCEEDED', followsFrom: 'REPO' });
      const after = devnet.stats();
      expect((after.byMethod['app.bsky.graph.getFollows'] ?? 0) - (before.byMethod['app.bsky.graph.getFollows'] ?? 0)).toBe(0);
      await expectGraphIsTruth();
      expect([...(await storedRecords()).values()].filter((r) => r.rkey === null)).toEqual([]);
      // A source that does not exist is refused before anything runs.
      const wrong = await graphql(server.url, `mutation { startIngest(input: { hashtag: "databs", followsFrom: FIREHOSE }) { id } }`);
      expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(wrong.errors?.[0]?.message).toMatch(/FollowsSource/);
    } finally {
      await server.close();
      await ingest.shutdown();
    }
  });
});
