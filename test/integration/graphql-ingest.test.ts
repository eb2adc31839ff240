/**
 * The ingest mutations end to end: GraphQL over HTTP → IngestService → the devnet over HTTP →
 * Neo4j, then the API's own queries show the result the devnet's ground truth predicts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { groundTruth, startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { configFor } from '../support/devnet-ingest.js';
import { errorCode, graphql } from '../support/graphql-client.js';
import { waitForRun } from '../support/ingest-runs.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const RUN = 'id hashtag status stage startedAt finishedAt error maxPosts since until requests members membersDone actors follows progress';

let db: GraphDatabase;
let devnet: Devnet;
let ingest: IngestService;
let server: TestServer;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 40, seed: 5, searchCap: 100, rateLimit: false, faults: { latencyMs: [5, 15] } });
  const config = configFor(devnet, { BSKY_CONCURRENCY: '4' });
  ingest = new IngestService({ db, config, logger: createLogger('warn') });
  server = await startTestServer({ db, ingest });
}, 120_000);

afterAll(async () => {
  await ingest?.shutdown();
  await server?.close();
  await devnet?.close();
  await db?.close();
});

const settled = (id: string) => waitForRun(server.url, RUN, id);

describe('startIngest', () => {
  it('crawls the hashtag in the background; the API then shows the ground truth', async () => {
    const started = await graphql(server.url, `mutation($i: IngestInput!) { startIngest(input: $i) { ${RUN} } }`, { i: { hashtag: '#DataBS' } });
    expect(started.errors).toBeUndefined();
    const s = started.data!.startIngest;
    expect(s).toMatchObject({ hashtag: 'databs', status: 'RUNNING', finishedAt: null, error: null, maxPosts: null });

    const done = await settled(s.id);
    const truth = groundTruth(devnet.community);
    expect(done).toMatchObject({ id: s.id, status: 'SUCCEEDED', stage: 'DONE', error: null, members: truth.members.length, membersDone: truth.members.length, follows: truth.edges.length, progress: 1 });
    expect(Date.parse(done.finishedAt)).toBeGreaterThanOrEqual(Date.parse(done.startedAt));

    const view = await graphql(server.url, `{ actors(hashtag: "databs", first: 1000) { totalCount nodes { did } } hashtags { name members outgoingFollows lastIngestAt } ingestRuns(first: 5) { id status } }`);
    expect(view.errors).toBeUndefined();
    expect(view.data!.actors.totalCount).toBe(truth.members.length);
    expect(view.data!.actors.nodes.map((n: { did: string }) => n.did).sort()).toEqual([...truth.members].sort());
    expect(view.data!.hashtags).toEqual([{ name: 'databs', members: truth.members.length, outgoingFollows: truth.edges.length, lastIngestAt: done.finishedAt }]);
    expect(view.data!.ingestRuns[0]).toEqual({ id: s.id, status: 'SUCCEEDED' });
  }, 120_000);

  it('refuses invalid windows and sizes with BAD_USER_INPUT, starting nothing', async () => {
    const before = (await graphql(server.url, `{ ingestRuns(first: 1000) { id } }`)).data!.ingestRuns.length;
    for (const i of [
      { hashtag: 'databs', maxPosts: 0 },
      { hashtag: 'databs', maxPosts: -10 },
      { hashtag: 'databs', since: 'yesterday' },
      { hashtag: 'databs', since: '2025-05-01', until: '2025-04-01' },
      { hashtag: '#' },
    ]) {
      const r = await graphql(server.url, `mutation($i: IngestInput!) { startIngest(input: $i) { id } }`, { i });
      expect({ i, code: errorCode(r) }).toEqual({ i, code: 'BAD_USER_INPUT' });
    }
    expect((await graphql(server.url, `{ ingestRuns(first: 1000) { id } }`)).data!.ingestRuns.length).toBe(before);
  });
});

describe('cancel and resume', () => {
  it('CONFLICT while running; cancel → CANCELLED; resume → SUCCEEDED; no second resume or cancel', async () => {
    devnet.setFaults({ latencyMs: [40, 80] }); // slow enough to act on a running crawl
    const start = `mutation { startIngest(input: { hashtag: "databs" }) { id status } }`;
    const first = await graphql(server.url, start);
    expect(first.errors).toBeUndefined();
    const id = first.data!.startIngest.id;

    const second = await graphql(server.url, start);
    expect(errorCode(second)).toBe('CONFLICT');
    expect(second.errors![0]!.message).toContain(id);

    const cancelled = await graphql(server.url, `mutation($id: ID!) { cancelIngest(id: $id) { id status finishedAt } }`, { id });
    expect(cancelled.errors).toBeUndefined();
    expect(cancelled.data!.cancelIngest).toMatchObject({ id, status: 'CANCELLED' });
    expect(cancelled.data!.cancelIngest.finishedAt).not.toBeNull();

    devnet.setFaults({ latencyMs: [1, 5] });
    const resumed = await graphql(server.url, `mutation($id: ID!) { resumeIngest(id: $id) { id status finishedAt } }`, { id });
    expect(resumed.errors).toBeUndefined();
    expect(resumed.data!.resumeIngest).toEqual({ id, status: 'RUNNING', finishedAt: null });
    const done = await settled(id);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.members).toBe(groundTruth(devnet.community).members.length);

    const again = await graphql(server.url, `mutation($id: ID!) { resumeIngest(id: $id) { id } }`, { id });
    expect(errorCode(again)).toBe('BAD_USER_INPUT');
    const cancelDone = await graphql(server.url, `mutation($id: ID!) { cancelIngest(id: $id) { id } }`, { id });
    expect(errorCode(cancelDone)).toBe('BAD_USER_INPUT');
  }, 120_000);
});
