/**
 * Soak: restart the local Neo4j (neo4j/neo4jctl restart) in the middle of an ingest. The run's
 * managed transactions retry through the outage and it completes with the exact graph — or, if
 * the outage outlasts the retry window, it fails clearly and `resume` finishes it exactly.
 * Run with `npm run test:soak` against the project's local server (it restarts it).
 */
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { startDevnet, type Devnet } from '../../devnet/index.js';
import { INGEST_RETRY_MS, type GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { diffSnapshots, NO_DIFF, configFor, truthSnapshot } from '../support/devnet-ingest.js';
import { snapshotCommunity } from '../support/graph-snapshot.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(600_000);

let db: GraphDatabase;
let devnet: Devnet;

beforeAll(async () => {
  db = openTestDatabase({ maxRetryTimeMs: INGEST_RETRY_MS });
  await resetGraph(db);
  devnet = await startDevnet({ members: 300, seed: 17, rateLimit: false, faults: { latencyMs: [20, 40] } });
});

afterAll(async () => {
  await devnet?.close();
  await db?.close();
});

describe('Neo4j restart during an ingest', () => {
  it('ends with the exact graph', async () => {
    const service = new IngestService({ db, config: configFor(devnet, { BSKY_RATE_LIMIT: '60/1' }), logger: createLogger('warn') });
    const started = await service.start({ hashtag: 'databs' });
    // Let it write for a while, then restart the server under it.
    await new Promise((r) => setTimeout(r, 4000));
    const restart = spawnSync('bash', ['neo4j/neo4jctl', 'restart'], { stdio: 'inherit' });
    expect(restart.status).toBe(0);
    await service.drain();
    let run = (await service.get(started.id))!;
    if (run.status !== 'SUCCEEDED') {
      expect(run.error).toMatch(/Neo4j|connect|unavailable|session/i);
      run = await service.resumeAndWait(started.id);
    }
    expect(run.status).toBe('SUCCEEDED');
    const expected = truthSnapshot(devnet.community);
    const actual = await snapshotCommunity(db, 'databs');
    expect(diffSnapshots(actual, expected)).toEqual(NO_DIFF({ members: [expected.members.length, expected.members.length], edges: [expected.edges.length, expected.edges.length] }));
  });
});
