/**
 * Push, not poll, over a real WebSocket (graphql-ws) to the real server: an ingest of a living devnet
 * started over HTTP reports its progress on `ingestRun(id)` until its final record; with a watcher
 * on the devnet's Jetstream, follows made and removed on the network arrive on `graphChanges`. The
 * API key applies: a connection without it is refused, and mutations are not served over the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { startDevnet, type Devnet, type LiveCommunity } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { WatchService } from '../../src/watch/watch-service.js';
import { configFor } from '../support/devnet-ingest.js';
import { graphql } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const API_KEY = 'subscriptions-test-key-0123456789';
let db: GraphDatabase;
let devnet: Devnet;
let live: LiveCommunity;
let ingest: IngestService;
let watch: WatchService;
let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 40, seed: 8, live: true, rateLimit: false, faults: { latencyMs: [5, 10] } });
  live = devnet.live!;
  const logger = createLogger('warn');
  // Small batches: the crawl reports progress many times, which the subscription must pass on.
  ingest = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '2' }), logger, batchEdges: 200 });
  watch = new WatchService({ db, jetstreamUrl: devnet.jetstreamUrl, plcUrl: devnet.url, logger });
  server = await startTestServer({ db, ingest, watch, env: { API_KEY } });
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.dispose();
  await watch?.close();
  await ingest?.shutdown();
  await server?.close();
  await devnet?.close();
  await db?.close();
});

function client(authorization: string | null): Client {
  const c = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
  });
  clients.push(c);
  return c;
}

/** Collects a subscription's events until it completes, errors, or `until` says enough. */
function collect<T>(c: Client, query: string, variables: Record<string, unknown>, until: (events: T[]) => boolean = () => false) {
  const events: T[] = [];
  let settle!: (outcome: { events: T[]; error: unknown; completed: boolean }) => void;
  const done = new Promise<{ events: T[]; error: unknown; completed: boolean }>((resolve) => (settle = resolve));
  const stop = c.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors) return settle({ events, error: value.errors, completed: false });
        events.push(value.data as T);
        if (until(events)) {
          stop();
          settle({ events, error: null, completed: false });
        }
      },
      error: (error) => settle({ events, error, completed: false }),
      complete: () => settle({ events, error: null, completed: true }),
    },
  );
  return { events, done, stop };
}

const RUN = `subscription($id: ID!) { ingestRun(id: $id) { id status stage members membersDone follows requests } }`;
const CHANGES = `subscription($h: String!) { graphChanges(hashtag: $h) { hashtag kind followsAdded { source target } followsRemoved { source target } newMembers runId committedAt } }`;

describe('subscriptions', () => {
  it('refuses a connection without the API key, and mutations over the socket', async () => {
    const anonymous = await collect(client(null), CHANGES, { h: live.hashtag }).done;
    expect(anonymous.events).toEqual([]);
    expect(String((anonymous.error as { code?: number; reason?: string }).code)).toBe('4403');
    const mutation = await collect(client(`Bearer ${API_KEY}`), `mutation { startWatch(hashtag: "x") { state } }`, {}).done;
    expect(JSON.stringify(mutation.error)).toMatch(/only subscriptions are served over WebSocket/);
  }, 30_000);

  it('ingestRun(id) pushes the progress of a run started over HTTP, then its final record', async () => {
    const watcher = client(`Bearer ${API_KEY}`);
    // INGEST_FINISHED arrives on graphChanges for the same run.
    const changes = collect<{ graphChanges: { kind: string; runId: string } }>(watcher, CHANGES, { h: live.hashtag }, (e) => e.some((x) => x.graphChanges.kind === 'INGEST_FINISHED'));
    await new Promise((r) => setTimeout(r, 200));
    const started = await graphql(server.url, `mutation($h: String!) { startIngest(input: { hashtag: $h }) { id status } }`, { h: live.hashtag }, { apiKey: API_KEY });
    expect(started.errors).toBeUndefined();
    const id = started.data!.startIngest.id as string;
    type Run = { ingestRun: { id: string; status: string; stage: string; members: number; membersDone: number; follows: number; requests: number } };
    const run = await collect<Run>(watcher, RUN, { id }).done;
    expect(run.error).toBeNull();
    expect(run.completed).toBe(true);
    const states = run.events.map((e) => e.ingestRun);
    const last = states[states.length - 1]!;
    expect(last.status).toBe('SUCCEEDED');
    expect(states.length).toBeGreaterThanOrEqual(3);
    expect(states.filter((s) => s.status === 'RUNNING').length).toBeGreaterThanOrEqual(2);
    // Counters only grow, and the final record is what the HTTP API reports.
    for (let i = 1; i < states.length; i++) {
      expect(states[i]!.requests).toBeGreaterThanOrEqual(states[i - 1]!.requests);
      expect(states[i]!.membersDone).toBeGreaterThanOrEqual(states[i - 1]!.membersDone);
    }
    const stored = await graphql(server.url, `query($id: ID!) { ingestRun(id: $id) { id status stage members membersDone follows requests } }`, { id });
    expect(last).toEqual(stored.data!.ingestRun);
    const finished = await changes.done;
    expect(finished.events.find((e) => e.graphChanges.kind === 'INGEST_FINISHED')!.graphChanges.runId).toBe(id);

    // A finished run: its record, then the end.
    const again = await collect<Run>(watcher, RUN, { id }).done;
    expect(again.events.map((e) => e.ingestRun.status)).toEqual(['SUCCEEDED']);
    expect(again.completed).toBe(true);
    const unknown = await collect<Run>(watcher, RUN, { id: 'no-such-run' }).done;
    expect(JSON.stringify(unknown.error)).toMatch(/NOT_FOUND/);
  }, 120_000);

  it('graphChanges pushes the follows the watcher commits: made and removed on the network', async () => {
    const started = await graphql(server.url, `mutation($h: String!) { startWatch(hashtag: $h) { state } }`, { h: live.hashtag }, { apiKey: API_KEY });
    expect(started.errors).toBeUndefined();
    type Change = { graphChanges: { kind: string; followsAdded: Array<{ source: string; target: string }>; followsRemoved: Array<{ source: string; target: string }> } };
    const truth = live.truth();
    const follower = truth.members[0]!.did;
    const followed = new Set((truth.follows.get(follower) ?? []).map((r) => r.subject));
    const subject = truth.members.map((m) => m.did).find((d) => d !== follower && !followed.has(d))!;
    const has = (events: Change[], key: 'followsAdded' | 'followsRemoved') => events.some((e) => e.graphChanges[key].some((f) => f.source === follower && f.target === subject));

    const stream = collect<Change>(client(`Bearer ${API_KEY}`), CHANGES, { h: live.hashtag }, (e) => has(e, 'followsAdded') && has(e, 'followsRemoved'));
    await new Promise((r) => setTimeout(r, 300));
    live.follow(follower, subject);
    const deadline = Date.now() + 30_000;
    while (!has(stream.events, 'followsAdded') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(has(stream.events, 'followsAdded')).toBe(true);
    // The edge is in the graph when the change is pushed (it is sent after the commit).
    const edge = await db.read<{ n: number }>(`MATCH (:Actor {did: $a})-[e:FOLLOWS]->(:Actor {did: $b}) RETURN count(e) AS n`, { a: follower, b: subject });
    expect(Number(edge[0]!.n)).toBe(1);
    const record = live.followRecords(follower).find((r) => r.subject === subject)!;
    live.unfollow(follower, record.rkey);
    const outcome = await Promise.race([stream.done, new Promise<null>((r) => setTimeout(() => r(null), 30_000))]);
    expect(outcome?.error ?? null).toBeNull();
    expect(has(stream.events, 'followsRemoved')).toBe(true);
    expect(stream.events.every((e) => e.graphChanges.kind === 'FOLLOWS')).toBe(true);
  }, 90_000);
});
