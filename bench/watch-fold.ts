/**
 * The watcher's two figures on the living devnet (real WebSocket Jetstream, real Neo4j):
 *  (a) throughput: a backlog of follow creates and deletes made while no watcher ran, folded from
 *      the crawl's cursor: events per second from the watcher's start to the commit of the last one;
 *  (b) lag at a fixed rate: follows and unfollows made at `--rate` events/s for `--seconds`, each
 *      event's lag from its Jetstream time_us to the commit of the batch that holds it, in an HDR
 *      histogram.
 * Beside them, in the same run, the two limits it sits between: the devnet's Jetstream delivering the
 * same backlog to a bare WebSocket client that only counts (nothing folded), and Neo4j merging the
 * same number of FOLLOWS with rkeys in batches of 5,000 (nothing parsed or streamed). After each
 * phase the graph is compared with the devnet's ground truth.
 * The devnet (community, Jetstream server, event generator) runs in this process beside the
 * watcher: both share the 2 cores with Neo4j, as they would with a real firehose client.
 * With `--subscriber`, a graphChanges subscriber listens throughout: each batch then also reports
 * the follows it created (the existence check per follow), as `serve` does while a view is open;
 * its result goes to watch-fold-subscriber.json.
 * Usage: node --import @swc-node/register/esm-register bench/watch-fold.ts [--quick] [--subscriber] [--members N] [--backlog N] [--rate N] [--seconds N]
 * Wipes the Neo4j at NEO4J_URI: use a scratch server.
 */
import 'reflect-metadata';
import { loadavg, cpus } from 'node:os';
import WebSocket from 'ws';
import { mulberry32, startDevnet, type Devnet, type LiveCommunity } from '../devnet/index.js';
import { loadConfig } from '../src/config/config.js';
import { GraphDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrations.js';
import { IngestService } from '../src/ingest/ingest-service.js';
import { createLogger } from '../src/logging/logger.js';
import { HashtagWatcher } from '../src/watch/hashtag-watcher.js';
import { JetstreamSource } from '../src/watch/jetstream-source.js';
import { RepoFollows } from '../src/watch/repo-follows.js';
import { LatencyHistogram } from './load-generator.js';
import { numberFlag, round, writeResult } from './support.js';

const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS';
const FOLLOW = 'app.bsky.graph.follow';

const quick = process.argv.includes('--quick');
const SUBSCRIBER = process.argv.includes('--subscriber');
const MEMBERS = numberFlag('--members', quick ? 200 : 1_000);
const BACKLOG = numberFlag('--backlog', quick ? 5_000 : 50_000);
const RATE = numberFlag('--rate', 1_000);
const SECONDS = numberFlag('--seconds', quick ? 5 : 30);
const log = (line: string) => process.stderr.write(`[watch-fold] ${line}\n`);

/** Follows and unfollows by members: unfollows only of records this bench made (their rkeys are known). */
class FollowChurn {
  private readonly rng = mulberry32(11);
  private readonly made: Array<{ did: string; rkey: string }> = [];
  private readonly members: string[];
  private readonly targets: string[];

  constructor(private readonly live: LiveCommunity) {
    const active = live.actors().filter((a) => a.status === 'active');
    this.members = active.filter((a) => a.firstTagPostAt !== undefined).map((a) => a.did);
    this.targets = active.map((a) => a.did);
  }

  /** One event: a follow (60%) or the deletion of an earlier one. */
  next(): void {
    if (this.made.length > 100 && this.rng() < 0.4) {
      const at = Math.floor(this.rng() * this.made.length);
      const { did, rkey } = this.made[at]!;
      this.made[at] = this.made.at(-1)!;
      this.made.pop();
      this.live.unfollow(did, rkey);
      return;
    }
    for (;;) {
      const did = this.members[Math.floor(this.rng() * this.members.length)]!;
      const subject = this.targets[Math.floor(this.rng() * this.targets.length)]!;
      if (did === subject || this.live.followRecords(did).some((r) => r.subject === subject)) continue;
      const m = this.live.follow(did, subject);
      this.made.push({ did, rkey: m.record!.rkey });
      return;
    }
  }
}

/** Members' follow edges in the graph against the devnet's records (members not deleted). */
async function exactness(db: GraphDatabase, live: LiveCommunity): Promise<{ expected: number; missing: number; extra: number }> {
  const truth = live.truth();
  const alive = (did: string) => truth.actors.get(did)?.status !== 'deleted';
  const members = [...truth.actors.values()].filter((a) => a.firstTagPostAt !== undefined && a.status !== 'deleted').map((a) => a.did);
  const want = new Set(members.flatMap((m) => (truth.follows.get(m) ?? []).filter((r) => alive(r.subject)).map((r) => `${m} ${r.subject}`)));
  const rows = await db.read<{ e: string }>(`MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor)-[:FOLLOWS]->(b:Actor) RETURN a.did + ' ' + b.did AS e`, { hashtag: live.hashtag });
  const have = new Set(rows.map((r) => r.e));
  let missing = 0;
  const lost: string[] = [];
  for (const e of want) {
    if (have.has(e)) continue;
    missing++;
    lost.push(e);
  }
  let extra = 0;
  for (const e of have) if (!want.has(e)) extra++;
  if (missing) {
    // A diagnosis for the log: were the missing edges crawled, or made by the bench afterwards?
    const createdAt = new Map(members.flatMap((m) => (truth.follows.get(m) ?? []).map((r): [string, string] => [`${m} ${r.subject}`, r.createdAt])));
    const sources = new Set(lost.map((e) => e.split(' ')[0]));
    const inGraph = new Set((await db.read<{ did: string }>(`MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor) RETURN a.did AS did`, { hashtag: live.hashtag })).map((r) => r.did));
    const absent = [...sources].filter((d) => !inGraph.has(d!));
    const edgesOf = await db.read<{ did: string; n: number; fetched: string | null }>(
      `UNWIND $dids AS did MATCH (a:Actor {did: did}) OPTIONAL MATCH (a)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag}) OPTIONAL MATCH (r:IngestRun)-[s:SAW]->(a)
       RETURN did, COUNT { (a)-[:FOLLOWS]->() } AS n, toString(a.followsFetchedAt) AS fetched, p.createdBy AS createdBy, p.runId AS runId, properties(s) AS saw`,
      { dids: [...sources].slice(0, 5), hashtag: live.hashtag },
    );
    log(`missing edges: ${missing} from ${sources.size} members (${absent.length} of them not members in the graph; members: graph ${inGraph.size}, truth ${members.length}); e.g. ${lost.slice(0, 3).map((e) => `${e} (${createdAt.get(e)})`).join(', ')}; ${JSON.stringify(edgesOf)}`);
  }
  return { expected: want.size, missing, extra };
}

/** The devnet's Jetstream alone: follow events from `cursorUs` to a client that only counts them. */
async function deliveryOnly(devnet: Devnet, wantedDids: string[], cursorUs: number, count: number): Promise<{ events: number; seconds: number; perSecond: number }> {
  const started = performance.now();
  const ws = new WebSocket(`${devnet.jetstreamUrl}?wantedCollections=${FOLLOW}&cursor=${cursorUs}`);
  let events = 0;
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'options_update', payload: { wantedCollections: [FOLLOW], wantedDids } })));
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as { kind?: string; commit?: { collection?: string } };
      if (m.kind === 'commit' && m.commit?.collection === FOLLOW && ++events >= count) resolve();
    });
    ws.on('error', reject);
  });
  const seconds = (performance.now() - started) / 1000;
  ws.close();
  return { events, seconds: round(seconds, 2), perSecond: Math.round(events / seconds) };
}

/** Neo4j alone: `count` FOLLOWS with rkeys merged in batches of 5,000 (then removed again). */
async function neo4jOnly(db: GraphDatabase, dids: string[], count: number): Promise<{ edges: number; seconds: number; perSecond: number }> {
  const rng = mulberry32(5);
  const rows = Array.from({ length: count }, (_, i) => ({ a: dids[Math.floor(rng() * dids.length)]!, b: dids[Math.floor(rng() * dids.length)]!, rkey: `bench${i}` }));
  const started = performance.now();
  for (let i = 0; i < rows.length; i += 5_000) {
    await db.write(
      `UNWIND $rows AS r MATCH (a:Actor {did: r.a}), (b:Actor {did: r.b})
       CREATE (a)-[:BENCH_FOLLOWS {rkey: r.rkey, createdAt: datetime()}]->(b)`,
      { rows: rows.slice(i, i + 5_000) },
    );
  }
  const seconds = (performance.now() - started) / 1000;
  await db.autoCommit('MATCH ()-[f:BENCH_FOLLOWS]->() CALL (f) { DELETE f } IN TRANSACTIONS OF 10000 ROWS');
  return { edges: count, seconds: round(seconds, 2), perSecond: Math.round(count / seconds) };
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const db = GraphDatabase.fromConfig(config);
  const logger = createLogger('warn', 'watch-fold');
  await db.autoCommit(WIPE);
  // A fresh server has no constraints yet: without the Actor.did index every MERGE scans.
  await migrate(db);
  const devnet = await startDevnet({ members: MEMBERS, seed: 21, live: true, rateLimit: false });
  const live = devnet.live!;
  try {
    const crawlConfig = loadConfig({
      ...process.env,
      BSKY_SERVICE: devnet.url,
      BSKY_IDENTIFIER: devnet.credentials.identifier,
      BSKY_APP_PASSWORD: devnet.credentials.password,
      BSKY_RATE_LIMIT: '1000/1',
      BSKY_CONCURRENCY: '8',
      LOG_LEVEL: 'warn',
    });
    let t = performance.now();
    const run = await new IngestService({ db, config: crawlConfig, logger }).run({ hashtag: live.hashtag });
    if (run.status !== 'SUCCEEDED') throw new Error(`crawl ended ${run.status}`);
    const crawlSeconds = round((performance.now() - t) / 1000, 1);
    log(`crawled #${live.hashtag}: ${MEMBERS} members in ${crawlSeconds} s`);
    // The crawl itself against the ground truth, before any event is folded.
    const afterCrawl = await exactness(db, live);
    const unread = await db.read<{ n: number }>(`MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor) WHERE a.followsFetchedAt IS NULL RETURN count(a) AS n`, { hashtag: live.hashtag });
    log(`after the crawl: ${JSON.stringify(afterCrawl)}; members never completed: ${Number(unread[0]?.n ?? 0)}; run counters: ${JSON.stringify(run.counters)}`);

    // (a) a backlog made while no watcher runs.
    const churn = new FollowChurn(live);
    const backlogStartUs = live.log.lastTimeUs + 1;
    for (let i = 0; i < BACKLOG; i++) churn.next();
    const backlogLastUs = live.log.lastTimeUs;
    log(`backlog: ${BACKLOG} follow events`);

    const lag = new LatencyHistogram();
    let phaseStartUs = Infinity;
    let lastBacklogCommit = 0;
    let pushed = 0;
    const watcher = new HashtagWatcher({
      db,
      hashtag: live.hashtag,
      // Devnet events are microseconds apart: a few ms of rewind covers its reordering.
      source: new JetstreamSource({ url: devnet.jetstreamUrl, rewindUs: 2_000 }),
      repos: new RepoFollows({ plcUrl: devnet.url }),
      logger,
      ...(SUBSCRIBER ? { wantsChanges: () => true, onChanges: (c: { followsAdded: readonly unknown[] }) => void (pushed += c.followsAdded.length) } : {}),
      onFolded: (times, committedAt) => {
        if (times.includes(backlogLastUs)) lastBacklogCommit = performance.now();
        for (const us of times) if (us >= phaseStartUs) lag.recordMs(committedAt - us / 1000);
      },
    });
    t = performance.now();
    await watcher.start();
    while (!lastBacklogCommit) await new Promise((r) => setTimeout(r, 5));
    const foldSeconds = (lastBacklogCommit - t) / 1000;
    const folded = { events: BACKLOG, seconds: round(foldSeconds, 2), perSecond: Math.round(BACKLOG / foldSeconds) };
    log(`folded the backlog: ${folded.perSecond} events/s (${folded.seconds} s)`);
    while (!watcher.status().idle) await new Promise((r) => setTimeout(r, 50));
    const afterBacklog = await exactness(db, live);
    log(`after the backlog: ${JSON.stringify(afterBacklog)}`);

    // (b) events at a fixed rate, the watcher live.
    phaseStartUs = live.log.nextTimeUs();
    const total = RATE * SECONDS;
    let made = 0;
    const started = performance.now();
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
        while (made < due) {
          churn.next();
          made++;
        }
        if (made >= total) return resolve();
        setTimeout(tick, 5);
      };
      tick();
    });
    const offeredSeconds = (performance.now() - started) / 1000;
    while (lag.count < total) await new Promise((r) => setTimeout(r, 20));
    while (!watcher.status().idle) await new Promise((r) => setTimeout(r, 50));
    const lagSummary = lag.summary();
    const status = watcher.status();
    await watcher.stop();
    const afterRate = await exactness(db, live);
    log(`lag at ${RATE} events/s: p50 ${lagSummary.p50Ms} p99 ${lagSummary.p99Ms} max ${lagSummary.maxMs} ms; ${JSON.stringify(afterRate)}`);

    // The limits, same run.
    const members = live.actors().filter((a) => a.firstTagPostAt !== undefined && a.status === 'active').map((a) => a.did);
    const delivery = await deliveryOnly(devnet, members, backlogStartUs, BACKLOG);
    log(`Jetstream delivery alone: ${delivery.perSecond} events/s`);
    const neo4j = await neo4jOnly(db, members, BACKLOG);
    log(`Neo4j merge alone: ${neo4j.perSecond} edges/s`);

    const exact = afterBacklog.missing + afterBacklog.extra + afterRate.missing + afterRate.extra === 0;
    const foldGoal = folded.perSecond >= 5_000;
    const lagGoal = lagSummary.p99Ms <= 1_000;
    const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
    const loadEnd = loadavg();
    const label = SUBSCRIBER ? 'with a graphChanges subscriber' : 'no subscriber';
    writeResult(SUBSCRIBER ? 'watch-fold-subscriber' : 'watch-fold', {
      benchmark: 'watch-fold',
      settings: {
        quick,
        subscriber: SUBSCRIBER,
        members: MEMBERS,
        backlogEvents: BACKLOG,
        rate: RATE,
        seconds: SECONDS,
        batchMs: 200,
        mix: '60% follow creates, 40% deletes of follows made in the bench (known rkeys), by members of the crawled hashtag',
        placement: 'devnet (community, Jetstream over WebSocket, generator) and watcher in one process; Neo4j in its own',
        machine: { cpus: cpus().length, loadAverageStart: loadStart.map((x) => round(x, 2)), loadAverageEnd: loadEnd.map((x) => round(x, 2)) },
      },
      crawlSeconds,
      folded,
      lag: { offeredRate: RATE, achievedRate: Math.round(made / offeredSeconds), events: made, ...lagSummary },
      limits: { jetstreamDeliveryOnly: delivery, neo4jMergeOnly: neo4j },
      ratios: { foldedOverDelivery: round(folded.perSecond / delivery.perSecond, 2), foldedOverNeo4jMerge: round(folded.perSecond / neo4j.perSecond, 2) },
      exactness: { afterBacklog, afterRate },
      watcher: { followsAddedPushed: pushed, batches: status.batches, connections: status.connections, unknownDeletes: status.unknownDeletes, rereads: status.rereads },
      goals: { foldedPerSecond: { value: folded.perSecond, limit: 5_000, met: foldGoal }, lagP99Ms: { value: lagSummary.p99Ms, limit: 1_000, met: lagGoal }, exact },
      readmeRows: [
        `| watch, ${MEMBERS} members, devnet Jetstream over WebSocket, ${label} (load average ${la(loadStart)} → ${la(loadEnd)}) | follow events folded per second, backlog of ${BACKLOG} (Jetstream delivery alone; Neo4j merge alone) | ${folded.perSecond} (${delivery.perSecond}; ${neo4j.perSecond}) | ≥ 5,000: ${foldGoal ? 'met' : '**not met**'} |`,
        `| 〃 | lag, event time → commit, at ${RATE} events/s for ${SECONDS} s: p50 / p99 / max | ${lagSummary.p50Ms} / ${lagSummary.p99Ms} / ${lagSummary.maxMs} ms | p99 ≤ 1000 ms: ${lagGoal ? 'met' : '**not met**'} |`,
        `| 〃 | graph vs ground truth after each phase: missing / extra edges | ${afterBacklog.missing + afterRate.missing} / ${afterBacklog.extra + afterRate.extra} of ${afterRate.expected} | 0 / 0: ${exact ? 'met' : '**not met**'} |`,
      ],
    });
  } finally {
    await devnet.close();
    await db.close();
  }
}

if (process.argv[1]?.endsWith('watch-fold.ts')) await main();
