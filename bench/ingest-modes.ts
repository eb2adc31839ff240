/**
 * Where to read follows from: the AppView's getFollows (BSKY_FOLLOWS_FROM=appview) or each member's
 * own PDS through listRecords (repo), on the same community, same rate limits, same latency.
 * Two devnets serve the one community: A is the signed-in PDS and AppView (search, profiles,
 * getFollows), B plays the members' PDS and the PLC directory (DID documents name the host they are
 * asked on, so with BSKY_PLC = B every member's PDS is B). Each has its own budget, as separate
 * hosts have on the network. Reported: requests per host, wall time, and each mode's floor, the
 * busiest host's requests over its rate; and whether the two graphs are the same.
 * Usage: node --import @swc-node/register/esm-register bench/ingest-modes.ts [members=1000] [rate=100]
 * Wipes the Neo4j at NEO4J_URI: use a scratch server.
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config/config.js';
import { rMin, startDevnet, type Devnet } from '../devnet/index.js';
import { GraphDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrations.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { createLogger } from '../src/logging/logger.js';
import { round, writeResult } from './support.js';

const members = Number(process.argv[2] ?? 1000);
const rate = Number(process.argv[3] ?? 100);
const seed = 7;
const log = (line: string) => process.stderr.write(`[ingest-modes] ${line}\n`);
const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS';

const devnetOptions = { members, seed, rateLimit: { requests: rate * 10, seconds: 10 }, faults: { latencyMs: [20, 50] as [number, number] } };
const appView = await startDevnet(devnetOptions);
const pds = await startDevnet(devnetOptions);
const db = GraphDatabase.fromConfig(loadConfig({ ...process.env, LOG_LEVEL: 'warn' }));

function calls(net: Devnet, before: Record<string, number>): Record<string, number> {
  const now = net.stats().byMethod;
  return Object.fromEntries(Object.entries(now).map(([m, n]) => [m, n - (before[m] ?? 0)]).filter(([, n]) => (n as number) > 0));
}
const total = (byMethod: Record<string, number>) => Object.values(byMethod).reduce((a, b) => a + b, 0);

async function crawl(followsFrom: 'appview' | 'repo') {
  await db.autoCommit(WIPE);
  // A fresh server has no constraints yet: without the Actor.did index every MERGE scans.
  await migrate(db);
  const config = loadConfig({
    ...process.env,
    BSKY_SERVICE: appView.url,
    BSKY_IDENTIFIER: appView.credentials.identifier,
    BSKY_APP_PASSWORD: appView.credentials.password,
    BSKY_RATE_LIMIT: `${rate * 10}/10`,
    BSKY_PDS_RATE_LIMIT: `${rate * 10}/10`,
    BSKY_PLC: pds.url,
    BSKY_FOLLOWS_FROM: followsFrom,
    LOG_LEVEL: 'warn',
  });
  const beforeA = { ...appView.stats().byMethod };
  const beforeB = { ...pds.stats().byMethod };
  const started = performance.now();
  const run = await new IngestService({ db, config, logger: createLogger('warn') }).run({ hashtag: 'databs' });
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 'SUCCEEDED') throw new Error(`${followsFrom} ingest ${run.status}: ${run.error}`);
  const a = calls(appView, beforeA);
  const b = calls(pds, beforeB);
  // Sign-in is once per run and outside the crawl's budget maths.
  const appViewRequests = total(a) - (a['com.atproto.server.createSession'] ?? 0);
  const pdsRequests = total(b);
  const floorSeconds = Math.max(appViewRequests, pdsRequests) / rate;
  const [row] = await db.read<{ edges: number; dated: number; actors: number; bare: number }>(
    `MATCH (:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(:Actor)-[f:FOLLOWS]->(b:Actor)
     RETURN count(f) AS edges, count(f.createdAt) AS dated, count(DISTINCT b) AS actors, count(DISTINCT CASE WHEN b.handle IS NULL THEN b END) AS bare`,
  );
  const edges = await db.read<{ e: string }>(`MATCH (:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(a:Actor)-[:FOLLOWS]->(b:Actor) RETURN a.did + ' ' + b.did AS e ORDER BY e`);
  log(`${followsFrom}: ${round(seconds, 1)} s, AppView host ${appViewRequests} requests, PDS host ${pdsRequests}`);
  return {
    seconds: round(seconds, 1),
    appViewHost: { requests: appViewRequests, byMethod: a },
    pdsHost: { requests: pdsRequests, byMethod: b },
    floorSeconds: round(floorSeconds, 1),
    secondsPerFloor: round(seconds / floorSeconds, 3),
    graph: { follows: Number(row!.edges), withCreatedAt: Number(row!.dated), followedActors: Number(row!.actors), withoutProfile: Number(row!.bare) },
    edgeList: edges.map((r) => r.e),
  };
}

try {
  const appviewRun = await crawl('appview');
  const repoRun = await crawl('repo');
  const sameGraph = appviewRun.edgeList.length === repoRun.edgeList.length && appviewRun.edgeList.every((e, i) => e === repoRun.edgeList[i]);
  const strip = ({ edgeList: _, ...r }: typeof appviewRun) => r;
  const ratio = round(repoRun.appViewHost.requests / appviewRun.appViewHost.requests, 3);
  writeResult('ingest-modes', {
    benchmark: 'ingest-modes',
    settings: { members, seed, ratePerHost: rate, latencyMs: '20-50', rMin: rMin(appView.community), placement: 'both devnets in the bench process (each its own HTTP server and budget); Neo4j in its own' },
    appview: strip(appviewRun),
    repo: strip(repoRun),
    sameGraph,
    repoAppViewRequestsOverAppViewMode: ratio,
    repoSecondsOverAppViewMode: round(repoRun.seconds / appviewRun.seconds, 3),
    readmeRows: [
      `| follows from the AppView vs members' repositories, ${members} members (${rate} req/s per host, 20-50 ms) | appview: wall time (floor); AppView host requests | ${appviewRun.seconds} s (${appviewRun.floorSeconds} s); ${appviewRun.appViewHost.requests} | |`,
      `| 〃 | repo: wall time (floor); AppView host / PDS host requests | ${repoRun.seconds} s (${repoRun.floorSeconds} s); ${repoRun.appViewHost.requests} / ${repoRun.pdsHost.requests} (AppView share ${ratio}×) | |`,
      `| 〃 | same graph; follows with createdAt (appview / repo) | ${sameGraph ? 'yes' : '**no**'}; ${appviewRun.graph.withCreatedAt} / ${repoRun.graph.withCreatedAt} of ${repoRun.graph.follows} | same: ${sameGraph ? 'met' : '**not met**'} |`,
    ],
  });
} finally {
  await appView.close();
  await pds.close();
  await db.close();
}
