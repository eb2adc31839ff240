/**
 * Soak: kill -9 one ingest at five random points (seeded), resuming after each, and compare with
 * the ground truth; reports the extra requests resumption cost.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mulberry32, rMin, startDevnet, type Devnet } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { runCli, spawnCli } from '../support/cli.js';
import { killWhen, latestRunState } from '../support/crash.js';
import { diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(900_000);

let db: GraphDatabase;
let devnet: Devnet;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: 400, seed: 41, searchCap: 300, rateLimit: false, faults: { latencyMs: [20, 40] } });
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

describe('five crashes in one run', () => {
  it('ends with the exact graph', async () => {
    const env = {
      NEO4J_URI: process.env.NEO4J_URI,
      BSKY_SERVICE: devnet.url,
      BSKY_IDENTIFIER: devnet.credentials.identifier,
      BSKY_APP_PASSWORD: devnet.credentials.password,
      BSKY_RATE_LIMIT: '100/1',
      LOG_LEVEL: 'warn',
    };
    const expected = truthSnapshot(devnet.community);
    const random = mulberry32(Number(process.env.CRASH_SEED ?? 7));
    // Kill points: edges newly committed by each process (counters carry over across resumes), at
    // seeded fractions of the whole; the first kill lands early, during the search.
    const points = Array.from({ length: 5 }, () => Math.floor(random() * 0.3 * expected.edges.length));
    devnet.resetStats();
    let runId: string | undefined;
    let kills = 0;
    for (const point of points) {
      const before = runId ? (await latestRunState(db, 'databs'))!.follows : 0;
      const args = runId ? ['ingest', 'databs', '--resume', runId, '--json'] : ['ingest', 'databs', '--json'];
      const killed = await killWhen(db, 'databs', spawnCli(args, env), (s) => s.follows - before >= point, true);
      runId ??= (await latestRunState(db, 'databs'))!.id;
      if (!killed) break;
      kills++;
    }
    expect(kills).toBe(5);
    const final = await runCli(['ingest', 'databs', '--resume', runId!, '--json'], env, 300_000);
    expect(final.stderr).toBe('');
    expect(final.code).toBe(0);
    const actual = await snapshotCommunity(db, 'databs');
    expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF({ members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] }));
    const stats = devnet.stats();
    const floor = rMin(devnet.community, { searchCap: 300 });
    console.log(JSON.stringify({ crashFivePoints: { points, rMin: floor, requests: stats.requests, extraRequests: stats.requests - stats.createSessionCalls - floor } }));
  });
});
