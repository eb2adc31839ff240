/**
 * The watcher on the relay firehose of Bluesky's own PDS (@atproto/dev-env on PostgreSQL), real
 * Neo4j: the same two figures as bench/watch-fold.ts, with this source's costs — CBOR frames, CAR
 * blocks, and a signature check of every commit that changes the graph:
 *  (a) throughput: a backlog of follow creates and deletes, one commit each (createRecord /
 *      deleteRecord, as clients write them), made while no watcher ran, folded from the crawl's
 *      start: events per second from the watcher's start to the commit of the last one;
 *  (b) lag at a fixed rate: follows and unfollows at `--rate` commits/s for `--seconds`, each one's
 *      lag from the commit's `time` to the commit of the watcher's batch that holds it.
 * Beside them, in the same run: the PDS delivering the same frames to a bare subscriber that only
 * counts them, and how fast the PDS takes the writes (the ceiling on the offered rate). After each
 * phase the members' edges are compared with what was written.
 * Usage: node --import @swc-node/register/esm-register bench/watch-firehose.ts [--quick] [--members N] [--backlog N] [--rate N] [--seconds N]
 * Needs PostgreSQL (scripts/postgres.sh). Wipes the Neo4j at NEO4J_URI: use a scratch server.
 */
import 'reflect-metadata';
import { cpus, loadavg } from 'node:os';
import { AtpAgent } from '@atproto/api';
import { Subscription } from '@atproto/xrpc-server';
import { mulberry32 } from '../devnet/index.js';
import { loadConfig } from '../src/config/config.js';
import { GraphDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrations.js';
import { createLogger } from '../src/logging/logger.js';
import { FirehoseSource } from '../src/watch/firehose-source.js';
import { HashtagWatcher } from '../src/watch/hashtag-watcher.js';
import { RepoFollows } from '../src/watch/repo-follows.js';
import { startDevenv } from '../test/support/devenv.js';
import { LatencyHistogram } from './load-generator.js';
import { numberFlag, round, writeResult } from './support.js';

const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS';
const HASHTAG = 'databs';
const quick = process.argv.includes('--quick');
/** `--no-verify`: trust the PDS (BSKY_FIREHOSE_VERIFY=false), to see what the signature checks cost. */
const VERIFY = !process.argv.includes('--no-verify');
const MEMBERS = numberFlag('--members', quick ? 30 : 100);
const BACKLOG = numberFlag('--backlog', quick ? 500 : 3_000);
const RATE = numberFlag('--rate', 50);
const SECONDS = numberFlag('--seconds', quick ? 5 : 20);
const log = (line: string) => process.stderr.write(`[watch-firehose] ${line}\n`);

interface Account {
  readonly did: string;
  readonly agent: AtpAgent;
  /** Followed DID → rkey. */
  readonly follows: Map<string, string>;
}

/** Follows (60%) and deletes of follows this bench made, one commit each, by members. */
class FollowChurn {
  private readonly rng = mulberry32(11);
  private readonly made: Array<{ account: Account; subject: string }> = [];

  constructor(private readonly accounts: Account[]) {}

  async next(): Promise<void> {
    if (this.made.length > 50 && this.rng() < 0.4) {
      const at = Math.floor(this.rng() * this.made.length);
      const { account, subject } = this.made[at]!;
      this.made[at] = this.made.at(-1)!;
      this.made.pop();
      const rkey = account.follows.get(subject)!;
      account.follows.delete(subject);
      await account.agent.com.atproto.repo.deleteRecord({ repo: account.did, collection: 'app.bsky.graph.follow', rkey });
      return;
    }
    for (;;) {
      const account = this.accounts[Math.floor(this.rng() * this.accounts.length)]!;
      const subject = this.accounts[Math.floor(this.rng() * this.accounts.length)]!.did;
      if (subject === account.did || account.follows.has(subject)) continue;
      account.follows.set(subject, 'pending');
      const res = await account.agent.com.atproto.repo.createRecord({
        repo: account.did,
        collection: 'app.bsky.graph.follow',
        record: { $type: 'app.bsky.graph.follow', subject, createdAt: new Date().toISOString() },
      });
      account.follows.set(subject, res.data.uri.split('/').pop()!);
      this.made.push({ account, subject });
      return;
    }
  }
}

async function exactness(db: GraphDatabase, accounts: Account[]): Promise<{ expected: number; missing: number; extra: number }> {
  const want = new Set(accounts.flatMap((a) => [...a.follows.keys()].map((s) => `${a.did} ${s}`)));
  const rows = await db.read<{ e: string }>(`MATCH (:Hashtag {name: $h})<-[:POSTED_WITH]-(a:Actor)-[:FOLLOWS]->(b:Actor) RETURN a.did + ' ' + b.did AS e`, { h: HASHTAG });
  const have = new Set(rows.map((r) => r.e));
  let missing = 0;
  for (const e of want) if (!have.has(e)) missing++;
  let extra = 0;
  for (const e of have) if (!want.has(e)) extra++;
  return { expected: want.size, missing, extra };
}

/** The PDS alone: frames from seq `after` to a subscriber that only counts them. */
async function deliveryOnly(service: string, after: number, count: number): Promise<{ frames: number; seconds: number; perSecond: number }> {
  const abort = new AbortController();
  const sub = new Subscription<{ seq?: number }>({ service, method: 'com.atproto.sync.subscribeRepos', signal: abort.signal, getParams: () => ({ cursor: after }), validate: (v) => v as { seq?: number } });
  const started = performance.now();
  let frames = 0;
  try {
    for await (const frame of sub) if (typeof frame.seq === 'number' && ++frames >= count) break;
  } finally {
    abort.abort();
  }
  const seconds = (performance.now() - started) / 1000;
  return { frames, seconds: round(seconds, 2), perSecond: Math.round(frames / seconds) };
}

/** Writes `total` commits at `rate`/s, at most 16 in flight; returns the achieved rate. */
async function offer(churn: FollowChurn, rate: number, total: number): Promise<number> {
  let made = 0;
  let inFlight = 0;
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      while (made < due && inFlight < 16) {
        made++;
        inFlight++;
        void churn.next().finally(() => inFlight--);
      }
      if (made >= total && inFlight === 0) return resolve();
      setTimeout(tick, 5);
    };
    tick();
  });
  return Math.round(made / ((performance.now() - started) / 1000));
}

/** The PDS alone, live: each commit frame's delay from its `time` to its arrival at a bare subscriber. */
async function deliveryLag(service: string, churn: FollowChurn, rate: number, total: number): Promise<ReturnType<LatencyHistogram['summary']>> {
  const abort = new AbortController();
  const sub = new Subscription<{ $type?: string; time?: string }>({ service, method: 'com.atproto.sync.subscribeRepos', signal: abort.signal, validate: (v) => v as { time?: string } });
  const lag = new LatencyHistogram();
  const reading = (async () => {
    try {
      for await (const frame of sub) if (frame.$type?.endsWith('#commit') && frame.time) lag.recordMs(Date.now() - Date.parse(frame.time));
    } catch {
      // aborted
    }
  })();
  await new Promise((r) => setTimeout(r, 500));
  await offer(churn, rate, total);
  const deadline = performance.now() + 30_000;
  while (lag.count < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  abort.abort();
  await reading;
  return lag.summary();
}

async function main(): Promise<void> {
  const loadStart = loadavg();
  const db = GraphDatabase.fromConfig(loadConfig({ ...process.env, LOG_LEVEL: 'warn' }));
  const logger = createLogger('warn', 'watch-firehose');
  await db.autoCommit(WIPE);
  await migrate(db);
  const devenv = await startDevenv();
  try {
    const service = devenv.pdsUrl.replace(/^http/, 'ws');
    let t = performance.now();
    const accounts: Account[] = [];
    for (let i = 0; i < MEMBERS; i += 8) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(8, MEMBERS - i) }, async (_, k) => {
          const agent = new AtpAgent({ service: devenv.pdsUrl });
          const name = `bench${String(i + k).padStart(4, '0')}`;
          const res = await agent.createAccount({ handle: `${name}.test`, email: `${name}@example.com`, password: `pw-${name}` });
          return { did: res.data.did, agent, follows: new Map<string, string>() };
        }),
      );
      accounts.push(...batch);
    }
    log(`${MEMBERS} accounts in ${round((performance.now() - t) / 1000, 1)} s`);
    // The members as a crawl leaves them (no follows yet), and the crawl's start: where a first watch begins.
    await db.write(
      `MERGE (h:Hashtag {name: $h}) WITH h UNWIND $dids AS did MERGE (a:Actor {did: did}) MERGE (a)-[:POSTED_WITH {posts: 1}]->(h)
       WITH DISTINCT h CREATE (:IngestRun {id: 'bench', hashtag: $h, status: 'SUCCEEDED', startedAt: datetime()})`,
      { h: HASHTAG, dids: accounts.map((a) => a.did) },
    );

    // (a) a backlog written while no watcher runs.
    const churn = new FollowChurn(accounts);
    t = performance.now();
    for (let i = 0; i < BACKLOG; i += 8) await Promise.all(Array.from({ length: Math.min(8, BACKLOG - i) }, () => churn.next()));
    const writeSeconds = (performance.now() - t) / 1000;
    const pdsWrites = { commits: BACKLOG, seconds: round(writeSeconds, 1), perSecond: Math.round(BACKLOG / writeSeconds) };
    log(`backlog: ${BACKLOG} commits written at ${pdsWrites.perSecond}/s`);

    const lag = new LatencyHistogram();
    let phaseStartUs = Infinity;
    const repos = new RepoFollows({ plcUrl: devenv.network.plc.url });
    const source = new FirehoseSource({ service, plcUrl: devenv.network.plc.url, handleOf: (d) => repos.handleOf(d), forget: (d) => repos.forget(d), logger, verify: VERIFY });
    const watcher = new HashtagWatcher({
      db,
      hashtag: HASHTAG,
      source,
      repos,
      logger,
      onFolded: (times, committedAt) => {
        for (const us of times) if (us >= phaseStartUs) lag.recordMs(committedAt - us / 1000);
      },
    });
    t = performance.now();
    await watcher.start();
    // Idle: every frame the PDS had is folded, and none came for 0.5 s (taken off the time below).
    while (!watcher.status().idle && performance.now() - t < 600_000) await new Promise((r) => setTimeout(r, 5));
    const backlogDone = performance.now() - 500;
    const backlogCommits = source.frames;
    const foldSeconds = (backlogDone - t) / 1000;
    const folded = { frames: backlogCommits, followCommits: BACKLOG, seconds: round(foldSeconds, 2), perSecond: Math.round(backlogCommits / foldSeconds) };
    log(`folded the backlog: ${folded.perSecond} frames/s (${folded.seconds} s)`);
    const afterBacklog = await exactness(db, accounts);
    log(`after the backlog: ${JSON.stringify(afterBacklog)}`);

    // (b) commits at a fixed rate, the watcher live.
    phaseStartUs = Date.now() * 1000;
    const total = RATE * SECONDS;
    const achievedRate = await offer(churn, RATE, total);
    const made = total;
    const deadline = performance.now() + 60_000;
    while (lag.count < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    while (!watcher.status().idle) await new Promise((r) => setTimeout(r, 50));
    const lagSummary = lag.summary();
    const status = watcher.status();
    await watcher.stop();
    const afterRate = await exactness(db, accounts);
    log(`lag at ${RATE} commits/s: p50 ${lagSummary.p50Ms} p99 ${lagSummary.p99Ms} max ${lagSummary.maxMs} ms; ${JSON.stringify(afterRate)}`);

    const delivery = await deliveryOnly(service, 0, source.frames);
    log(`PDS delivery alone: ${delivery.perSecond} frames/s`);
    const pdsLag = await deliveryLag(service, churn, RATE, Math.min(total, RATE * 10));
    log(`PDS delivery lag alone at ${RATE} commits/s: p50 ${pdsLag.p50Ms} p99 ${pdsLag.p99Ms} ms`);

    const exact = afterBacklog.missing + afterBacklog.extra + afterRate.missing + afterRate.extra === 0;
    const lagGoal = lagSummary.p99Ms <= 1_000;
    const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
    const loadEnd = loadavg();
    writeResult('watch-firehose', {
      benchmark: 'watch-firehose',
      settings: {
        quick,
        members: MEMBERS,
        backlogCommits: BACKLOG,
        rate: RATE,
        seconds: SECONDS,
        mix: '60% follow creates, 40% deletes of follows made in the bench, one commit each, by members',
        placement: "dev-env (PLC, PDS, AppView on PostgreSQL), the writers and the watcher in one process; Neo4j in its own",
        verification: 'every graph-changing commit checked against its signing key',
        machine: { cpus: cpus().length, loadAverageStart: loadStart.map((x) => round(x, 2)), loadAverageEnd: loadEnd.map((x) => round(x, 2)) },
      },
      folded,
      lag: { offeredRate: RATE, achievedRate, commits: made, ...lagSummary },
      limits: { pdsWrites, pdsDeliveryOnly: delivery, pdsDeliveryLagOnly: pdsLag },
      ratios: { foldedOverDelivery: round(folded.perSecond / delivery.perSecond, 2) },
      exactness: { afterBacklog, afterRate },
      watcher: { frames: source.frames, messages: status.messages, batches: status.batches, connections: status.connections, unknownDeletes: status.unknownDeletes, rereads: status.rereads, unverifiedOps: source.unverifiedOps },
      goals: { lagP99Ms: { value: lagSummary.p99Ms, limit: 1_000, met: lagGoal }, exact },
      readmeRows: [
        `| watch, firehose of dev-env's PDS, ${MEMBERS} members, signatures checked (load average ${la(loadStart)} → ${la(loadEnd)}) | frames folded per second, a backlog of ${BACKLOG} follow commits (PDS delivery alone, frames/s; PDS writes/s) | ${folded.perSecond} (${delivery.perSecond}; ${pdsWrites.perSecond}) | no goal of its own (the ≥ 5,000 events/s goal is measured on Jetstream, above) |`,
        `| 〃 | lag, commit time → graph, at ${RATE} commits/s offered (${achievedRate} achieved) for ${SECONDS} s: p50 / p99 / max (the PDS's own delivery lag to a bare subscriber: p50 / p99) | ${lagSummary.p50Ms} / ${lagSummary.p99Ms} / ${lagSummary.maxMs} ms (${pdsLag.p50Ms} / ${pdsLag.p99Ms} ms) | p99 ≤ 1000 ms: ${lagGoal ? 'met' : '**not met**'} |`,
        `| 〃 | graph vs what was written, after each phase: missing / extra edges | ${afterBacklog.missing + afterRate.missing} / ${afterBacklog.extra + afterRate.extra} of ${afterRate.expected} | 0 / 0: ${exact ? 'met' : '**not met**'} |`,
      ],
    });
  } finally {
    await devenv.close();
    await db.close();
  }
}

if (process.argv[1]?.endsWith('watch-firehose.ts')) await main();
