/**
 * Ingest benchmark on devnet (rate limit + 20–50 ms latency): requests vs R_min, wall time vs the
 * floor R_min / rate, the original script's method as a baseline in the same run, and peak RSS.
 * Usage: node --import @swc-node/register/esm-register bench/ingest.ts [members=1000] [rate=100]
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config/config.js';
import { generateCommunity, rMin } from '../devnet/index.js';
import { GraphDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrations.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { createLogger } from '../src/logging/logger.js';
import { baselineCrawl } from './baseline-crawler.js';
import { round, RssSampler, startChildDevnet, writeResult } from './support.js';

const members = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 100);
const skipBaseline = process.argv.includes('--no-baseline');
const seed = 7;
const latency = '20-50';

const community = generateCommunity({ members, seed });
const floorRequests = rMin(community);
const follows = community.follows.offsets[community.memberCount];
const devnet = await startChildDevnet(['--members', String(members), '--seed', String(seed), '--rate', `${rate * 10}/10`, '--latency', latency, '--port', '0']);

const config = loadConfig({
  ...process.env,
  BSKY_SERVICE: devnet.url,
  BSKY_IDENTIFIER: devnet.identifier,
  BSKY_APP_PASSWORD: devnet.password,
  BSKY_RATE_LIMIT: `${rate * 10}/10`,
  LOG_LEVEL: 'warn',
});
const db = GraphDatabase.fromConfig(config);
await migrate(db);
await db.autoCommit("MATCH (r:IngestRun {hashtag: 'databs'}) DETACH DELETE r");

const rss = new RssSampler();
const started = performance.now();
const run = await new IngestService({ db, config, logger: createLogger('warn') }).run({ hashtag: 'databs' });
const seconds = (performance.now() - started) / 1000;
const peakRssMb = rss.stop();
if (run.status !== 'SUCCEEDED') throw new Error(`ingest ${run.status}: ${run.error}`);

let baseline: Record<string, number> | undefined;
if (!skipBaseline) {
  const t = performance.now();
  const b = await baselineCrawl(devnet.url, devnet.identifier, devnet.password, 'databs');
  const bSeconds = (performance.now() - t) / 1000;
  baseline = { seconds: round(bSeconds, 1), requests: b.requests, members: b.members, follows: b.follows, requestsPerRMin: round(b.requests / floorRequests) };
}
await devnet.stop();
await db.close();

writeResult(`ingest-${members}`, {
  benchmark: 'ingest',
  settings: { members, follows, seed, rateLimitPerSecond: rate, latencyMs: latency, concurrency: config.bsky.concurrency },
  rMin: floorRequests,
  floorSeconds: round(floorRequests / rate, 1),
  crawler: {
    seconds: round(seconds, 1),
    requests: run.counters.requests - 1,
    requestsPerRMin: round((run.counters.requests - 1) / floorRequests),
    secondsPerFloor: round(seconds / (floorRequests / rate)),
    retries: run.counters.retries,
    waits: run.counters.waits,
    members: run.counters.members,
    followsWritten: run.counters.follows,
    peakRssMb,
  },
  baseline,
  speedUp: baseline ? round(baseline.seconds! / seconds, 2) : undefined,
  note: 'requests exclude the one createSession; R_min = searchPages + ceil(members/25) + Σ max(1, ceil(follows/100))',
});
