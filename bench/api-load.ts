/**
 * API under load, on the big graph (15,000 actors, ~1,000,000 FOLLOWS): the real server
 * (`bsky-graph serve`, i.e. startApp, in its own process so its memory and CPU are its own) driven by
 * autocannon with 100 connections, query by query; and in the same run the same Cypher issued
 * directly through the driver (the exported data-access functions of src/graph the resolvers call,
 * in the order they call them) by 100 closed-loop workers for the same time. Also one connection /
 * one worker, to show the latency without queueing. Reports p50/p99, req/s, errors, server RSS.
 * Usage: node --import @swc-node/register/esm-register bench/api-load.ts [--quick] [--seconds N] [--connections N]
 * Loads the big graph into NEO4J_URI when it is not there (wiping it): use a scratch server.
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { loadConfig } from '../src/config/config.js';
import { followsOf, rngFor, type Community } from '../devnet/index.js';
import { loadActors, neighbourPages, resolveActorRefs } from '../src/graph/actor-queries.js';
import { GraphDatabase } from '../src/graph/database.js';
import { readGraphVersion } from '../src/graph/graph-version.js';
import { neighbourhood } from '../src/graph/relationship-queries.js';
import { BIG_GRAPH_HASHTAG, ensureBigGraph } from './big-graph.js';
import { ROOT, numberFlag, round, writeResult } from './support.js';

// ---------------------------------------------------------------------------------------------
// Shared with test/soak/api-load.test.ts

export type ApiQueryName = 'mutualFollows' | 'neighbourhood' | 'neighbourhoodDepth1' | 'actor' | 'centrality';

/**
 * The operations clients send; `$actor` is a member's handle, rotated request by request. Each
 * answer names what was asked (`asked`, and a root alias per operation): autocannon can hand a
 * response to the callbacks of a neighbouring request on its connection, so checks must not trust
 * which request they were called for.
 */
export const API_QUERIES: Record<ApiQueryName, string> = {
  mutualFollows: `query Mutuals($actor: String!) {
  asked: actor(handleOrDid: $actor) { handle }
  mutualFollows(actor: $actor, hashtag: "${BIG_GRAPH_HASHTAG}", first: 20) {
    edges { cursor node { did handle displayName avatar followersCount } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  neighbourhood: `query Neighbourhood($actor: String!) {
  asked: actor(handleOrDid: $actor) { handle }
  depth2: neighbourhood(actor: $actor, depth: 2, limit: 500) {
    nodes { did handle displayName }
    edges { source target }
    truncated
  }
}`,
  neighbourhoodDepth1: `query Neighbourhood1($actor: String!) {
  asked: actor(handleOrDid: $actor) { handle }
  depth1: neighbourhood(actor: $actor, depth: 1, limit: 500) {
    nodes { did handle displayName }
    edges { source target }
    truncated
  }
}`,
  actor: `query Actor($actor: String!) {
  asked: actor(handleOrDid: $actor) { handle }
  actor(handleOrDid: $actor) {
    did handle displayName description avatar followersCount followsCount postsCount createdAt hashtags profileUrl
  }
}`,
  centrality: `query Centrality {
  centrality(metric: PAGERANK, hashtag: "${BIG_GRAPH_HASHTAG}", first: 20) {
    rank score actor { did handle displayName followersCount }
  }
}`,
};

/**
 * Handles of "ordinary" members: follows + followers between the 25th and 75th percentile, in a
 * seeded shuffle, so requests rotate through thousands of different actors (no single hot node).
 */
export function midDegreeHandles(community: Community, seed = 1): string[] {
  const degree = (m: number) => followsOf(community.follows, m).length + (community.follows.followersCount[m] as number);
  const members = Array.from({ length: community.memberCount }, (_, m) => m).sort((a, b) => degree(a) - degree(b));
  const middle = members.slice(Math.floor(members.length * 0.25), Math.ceil(members.length * 0.75));
  const rng = rngFor(seed, 'bench-actors');
  for (let i = middle.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [middle[i], middle[j]] = [middle[j]!, middle[i]!];
  }
  return middle.map((m) => community.actors[m]!.handle);
}

/** Round-robin over a list, shared by every connection or worker. */
export function rotation<T>(items: readonly T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length]!;
}

export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resident set size now, MB (from /proc). */
  rssMb(): number;
  alive(): boolean;
  stop(): Promise<number | null>;
}

/** `bsky-graph serve` on a free port, in its own process. */
export async function startServerProcess(env: NodeJS.ProcessEnv, onStderr: (text: string) => void = (t) => process.stderr.write(t)): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/cli/main.ts', 'serve'], {
    cwd: ROOT,
    // The load is the point: no per-client rate limit on the server under test.
    env: { ...env, PORT: '0', HOST: '127.0.0.1', RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => onStderr(d.toString()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /GraphQL\s+(http:\/\/\S+)\/graphql/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    url,
    pid: child.pid!,
    child,
    rssMb: () => processRssMb(child.pid!),
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export function processRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? NaN);
  return Math.round(kb / 1024);
}

export interface LatencyStats {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
}

/** Nearest-rank percentiles over every recorded latency (no histogram rounding). */
export function latencyStats(latencies: number[], seconds: number): LatencyStats {
  const sorted = Float64Array.from(latencies).sort();
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]! : NaN);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    requests: sorted.length,
    requestsPerSecond: round(sorted.length / seconds, 1),
    p50Ms: round(at(50), 2),
    p99Ms: round(at(99), 2),
    meanMs: round(sum / sorted.length, 2),
    maxMs: round(sorted.length ? sorted[sorted.length - 1]! : NaN, 1),
  };
}

export interface GraphQLLoad extends LatencyStats {
  connections: number;
  seconds: number;
  /** Socket errors and timeouts (autocannon). */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** 200 responses whose body carries GraphQL `errors`. */
  graphqlErrors: number;
  /** Answers `verify` rejected. */
  wrongAnswers: number;
  /** Requests sent but not answered when time was up (autocannon drops them). */
  unfinishedAtEnd: number;
  firstError?: string;
  meanResponseBytes: number;
  /** autocannon's own (HDR, whole-millisecond) figures, for reference. */
  autocannon: { p50: number; p99: number; requestsPerSecond: number };
}

/**
 * autocannon against /graphql: `operations` are sent in turn on each connection, each request with the
 * next actor of the rotation. Every response is checked (status and GraphQL `errors`).
 */
export function loadGraphQL(args: {
  url: string;
  operations: ApiQueryName[];
  nextActor: () => string;
  connections: number;
  seconds: number;
  timeoutSeconds?: number;
  /** Checks a 200 answer without GraphQL errors; returns what is wrong, or null. */
  verify?: (name: ApiQueryName, actor: string | undefined, body: string) => string | null;
}): Promise<GraphQLLoad> {
  const latencies: number[] = [];
  let graphqlErrors = 0;
  let wrongAnswers = 0;
  let bytes = 0;
  let firstError: string | undefined;
  const requests = args.operations.map((name) => ({
    method: 'POST' as const,
    path: '/graphql',
    headers: { 'content-type': 'application/json' },
    // The context is the connection's; it sends one request at a time, so it remembers the actor asked.
    setupRequest: (req: autocannon.Request, context: { actor?: string }) => {
      context.actor = name === 'centrality' ? undefined : args.nextActor();
      return { ...req, body: JSON.stringify({ query: API_QUERIES[name], variables: context.actor ? { actor: context.actor } : {} }) };
    },
    onResponse: (status: number, body: string, context: { actor?: string }) => {
      bytes += body.length;
      // A GraphQL error arrives with status 200: look inside.
      if (status !== 200 || body.includes('"errors":')) {
        if (status === 200) graphqlErrors++;
        firstError ??= `${name}: HTTP ${status} ${body.slice(0, 300)}`;
        return;
      }
      const wrong = args.verify?.(name, context.actor, body);
      if (wrong) {
        wrongAnswers++;
        firstError ??= `${name}(${context.actor}): ${wrong}`;
      }
    },
  }));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: args.url,
        connections: args.connections,
        duration: args.seconds,
        timeout: args.timeoutSeconds ?? 60,
        requests,
      },
      (err, result) => {
        if (err) return reject(err);
        const stats = latencyStats(latencies, result.duration);
        resolve({
          ...stats,
          connections: args.connections,
          seconds: result.duration,
          errors: result.errors,
          timeouts: result.timeouts,
          non2xx: result.non2xx,
          graphqlErrors,
          wrongAnswers,
          unfinishedAtEnd: Math.max(0, result.requests.sent - stats.requests),
          ...(firstError ? { firstError } : {}),
          meanResponseBytes: Math.round(bytes / Math.max(1, stats.requests)),
          autocannon: { p50: result.latency.p50, p99: result.latency.p99, requestsPerSecond: result.requests.average },
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

// ---------------------------------------------------------------------------------------------
// The benchmark

interface RawLoad extends LatencyStats {
  workers: number;
  seconds: number;
  errors: number;
  /** Answers that arrived after the deadline (not counted, like autocannon's requests in flight). */
  unfinishedAtEnd: number;
  firstError?: string;
  /** Mean items per answer (actors in a page or neighbourhood), to show the queries did real work. */
  meanItems: number;
}

/**
 * `workers` loops issuing `work` back to back for `seconds`: the driver-side twin of autocannon, and
 * measured the same way — answers that arrive after the deadline are not counted (autocannon drops
 * its requests in flight when time is up) but are waited for, so they do not spill into the next run.
 */
async function closedLoop(workers: number, seconds: number, work: () => Promise<number>): Promise<RawLoad> {
  const latencies: number[] = [];
  let errors = 0;
  let items = 0;
  let unfinished = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        try {
          const n = await work();
          const done = performance.now();
          if (done > deadline) unfinished++;
          else {
            latencies.push(done - t);
            items += n;
          }
        } catch (err) {
          if (performance.now() > deadline) unfinished++;
          else errors++;
          firstError ??= (err as Error).message;
        }
      }
    }),
  );
  return {
    ...latencyStats(latencies, seconds),
    workers,
    seconds,
    errors,
    unfinishedAtEnd: unfinished,
    ...(firstError ? { firstError } : {}),
    meanItems: round(items / Math.max(1, latencies.length), 1),
  };
}

// Transactions of other users of the server (SHOW itself excluded).
const RUNNING = `SHOW TRANSACTIONS YIELD currentQuery WHERE NOT currentQuery STARTS WITH 'SHOW TRANSACTIONS' RETURN count(*) AS n`;

/** Waits until Neo4j runs nothing (the server may still be answering a dropped backlog). */
async function waitForQuiet(db: GraphDatabase, maxSeconds = 120): Promise<number> {
  const started = performance.now();
  while ((performance.now() - started) / 1000 < maxSeconds) {
    const [row] = await db.autoCommit<{ n: number }>(RUNNING);
    if (!row || Number(row.n) === 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return round((performance.now() - started) / 1000, 1);
}

/** What each resolver asks Neo4j, in the same order, through the same exported functions. */
function rawWork(db: GraphDatabase, name: ApiQueryName, nextActor: () => string, topDids: string[]): () => Promise<number> {
  const resolve = async (handle: string) => {
    const found = await resolveActorRefs(db, { dids: [], handles: [handle] });
    const did = found.handles.get(handle);
    if (!did) throw new Error(`no actor ${handle}`);
    return did;
  };
  switch (name) {
    case 'actor':
      return async () => {
        const did = await resolve(nextActor());
        return (await loadActors(db, [did])).size;
      };
    case 'mutualFollows':
      return async () => {
        const did = await resolve(nextActor());
        const pages = await neighbourPages(db, { relation: 'MUTUALS', dids: [did], hashtag: BIG_GRAPH_HASHTAG, first: 20, after: null });
        const page = pages.get(did)!;
        // DataLoader's loadMany([]) issues no query.
        if (page.items.length) await loadActors(db, page.items.map((i) => i.did));
        return page.items.length;
      };
    case 'neighbourhood':
    case 'neighbourhoodDepth1':
      return async () => {
        const did = await resolve(nextActor());
        const depth = name === 'neighbourhood' ? 2 : 1;
        const skeleton = await neighbourhood(db, { center: did, depth, direction: 'BOTH', hashtag: null, limit: 500 });
        await loadActors(db, skeleton.dids);
        return skeleton.dids.length;
      };
    case 'centrality':
      // A cached ranking: the service reads the graph version, the resolver hydrates the top 20.
      return async () => {
        await readGraphVersion(db);
        return (await loadActors(db, topDids)).size;
      };
  }
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const seconds = numberFlag('--seconds', quick ? 5 : 30);
  const connections = numberFlag('--connections', 100);
  const warmSeconds = quick ? 1 : 3;
  const unloadedSeconds = quick ? 2 : 5;
  const log = (line: string) => process.stderr.write(`[api-load] ${line}\n`);
  const loadStart = loadavg();

  const config = loadConfig({ ...process.env, LOG_LEVEL: 'warn' });
  const db = GraphDatabase.fromConfig(config);
  const graph = await ensureBigGraph(db, {}, log);
  const handles = midDegreeHandles(graph.community());
  const nextActor = rotation(handles);

  // The server's log is counted, not echoed: under overload it logs a stack per timed-out query.
  const serverErrors: string[] = [];
  const server = await startServerProcess({ ...process.env, LOG_LEVEL: 'warn' }, (text) => {
    for (const line of text.split('\n')) if (/\bERROR\b/.test(line)) serverErrors.push(line.slice(0, 400));
  });
  const rssStartMb = server.rssMb();
  let rssPeakMb = rssStartMb;
  const rssTimer = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, server.rssMb())), 500);
  log(`server ${server.url} (pid ${server.pid}), RSS ${rssStartMb} MB; ${handles.length} mid-degree members in rotation`);

  // The first centrality request computes PageRank (then cached per graph version): time it apart.
  const t = performance.now();
  const first = (await (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: API_QUERIES.centrality }) })).json()) as {
    data?: { centrality: Array<{ actor: { did: string } }> };
    errors?: unknown;
  };
  const centralityColdMs = round(performance.now() - t, 0);
  if (!first.data || first.errors) throw new Error(`centrality failed: ${JSON.stringify(first.errors)}`);
  const topDids = first.data.centrality.map((r) => r.actor.did);

  const scenarios: Record<string, unknown> = {};
  const summary = {} as Record<
    ApiQueryName,
    { graphql: GraphQLLoad; raw: RawLoad; p99Ratio: number; unloaded: { graphql: GraphQLLoad; raw: RawLoad; p99Ratio: number }; secondsWaitedForNeo4jToDrain: number[]; serverErrorsLogged: number }
  >;
  for (const name of ['mutualFollows', 'neighbourhood', 'actor', 'centrality'] as ApiQueryName[]) {
    const work = rawWork(db, name, nextActor, topDids);
    const errorsBefore = serverErrors.length;
    // Warm-up (JIT, plan cache) at low concurrency: its aim is not to build a backlog.
    log(`${name}: warm-up`);
    await loadGraphQL({ url: server.url, operations: [name], nextActor, connections: Math.min(connections, 8), seconds: warmSeconds });
    await closedLoop(Math.min(connections, 8), warmSeconds, work);
    const quiet: number[] = [await waitForQuiet(db)];
    log(`${name}: GraphQL, ${connections} connections, ${seconds} s`);
    const graphql = await loadGraphQL({ url: server.url, operations: [name], nextActor, connections, seconds });
    quiet.push(await waitForQuiet(db));
    log(`${name}: GraphQL p50 ${graphql.p50Ms} ms, p99 ${graphql.p99Ms} ms, ${graphql.requestsPerSecond} req/s; raw Cypher, ${connections} workers`);
    const raw = await closedLoop(connections, seconds, work);
    quiet.push(await waitForQuiet(db));
    log(`${name}: raw p50 ${raw.p50Ms} ms, p99 ${raw.p99Ms} ms, ${raw.requestsPerSecond} req/s; one at a time`);
    const graphql1 = await loadGraphQL({ url: server.url, operations: [name], nextActor, connections: 1, seconds: unloadedSeconds });
    quiet.push(await waitForQuiet(db));
    const raw1 = await closedLoop(1, unloadedSeconds, work);
    summary[name] = {
      graphql,
      raw,
      p99Ratio: round(graphql.p99Ms / raw.p99Ms, 2),
      unloaded: { graphql: graphql1, raw: raw1, p99Ratio: round(graphql1.p99Ms / raw1.p99Ms, 2) },
      secondsWaitedForNeo4jToDrain: quiet,
      // Includes answers the server failed after autocannon had stopped waiting (e.g. query timeouts).
      serverErrorsLogged: serverErrors.length - errorsBefore,
    };
    scenarios[name] = summary[name];
  }

  clearInterval(rssTimer);
  const rssEndMb = server.rssMb();
  rssPeakMb = Math.max(rssPeakMb, rssEndMb);
  const alive = server.alive();
  await server.stop();
  await db.close();

  const failures = Object.values(summary).reduce((n, s) => n + s.graphql.errors + s.graphql.non2xx + s.graphql.graphqlErrors + s.graphql.wrongAnswers + s.raw.errors, 0);
  const serverErrorsLogged = serverErrors.length;
  const worstRatio = Math.max(...Object.values(summary).map((s) => (Number.isFinite(s.p99Ratio) ? s.p99Ratio : -Infinity)));
  const loadEnd = loadavg();
  const row = (name: ApiQueryName, what: string) => {
    const s = summary[name];
    return `| API ${what}, ${connections} connections, ${graph.actors} actors / ${graph.follows} follows | GraphQL p50 / p99, req/s (raw Cypher p50 / p99, req/s) | ${s.graphql.p50Ms} / ${s.graphql.p99Ms} ms, ${s.graphql.requestsPerSecond} (${s.raw.p50Ms} / ${s.raw.p99Ms} ms, ${s.raw.requestsPerSecond}) | |`;
  };
  const ratioRow = (name: ApiQueryName) => {
    const s = summary[name];
    return `| 〃 ${name} | p99 GraphQL / raw Cypher (1 connection: ${s.unloaded.graphql.p99Ms} / ${s.unloaded.raw.p99Ms} ms = ${s.unloaded.p99Ratio}) | ${s.p99Ratio} | ≤ 1.3 |`;
  };
  const readmeRows = [
    row('mutualFollows', 'mutualFollows(actor, hashtag)'),
    ratioRow('mutualFollows'),
    `| 〃 mutualFollows | p99 (1 connection: ${summary.mutualFollows.unloaded.graphql.p99Ms} ms) | ${summary.mutualFollows.graphql.p99Ms} ms | ≤ 10 ms |`,
    row('neighbourhood', 'neighbourhood(depth 2, limit 500)'),
    ratioRow('neighbourhood'),
    row('actor', 'actor(handle)'),
    ratioRow('actor'),
    row('centrality', 'centrality(PAGERANK, first 20), cached'),
    ratioRow('centrality'),
    `| 〃 all queries | errors + non-2xx + GraphQL errors seen by clients (+ server-logged errors); server RSS start → end (peak) | ${failures} (+${serverErrorsLogged}); ${rssStartMb} → ${rssEndMb} MB (${rssPeakMb}) | 0; flat |`,
  ];

  writeResult('api-load', {
    benchmark: 'api-load',
    settings: {
      quick,
      connections,
      seconds,
      warmUpSeconds: warmSeconds,
      unloadedSeconds,
      graph: { actors: graph.actors, members: graph.members, follows: graph.follows, loadSeconds: graph.loadSeconds },
      actorsInRotation: handles.length,
      server: 'bsky-graph serve (startApp) in its own process; autocannon and the raw workers in the bench process',
      rawCypher:
        'the exported src/graph functions the resolvers call (resolveActorRefs, neighbourPages, neighbourhood, readGraphVersion, loadActors), same order and query text, through GraphDatabase (the neo4j driver, one session per query, pool 100)',
      machine: { cpus: 2, loadAverageStart: loadStart.map((x) => round(x, 2)), loadAverageEnd: loadEnd.map((x) => round(x, 2)) },
    },
    centralityColdMs,
    scenarios,
    worstP99Ratio: worstRatio,
    failures,
    server: { rssStartMb, rssEndMb, rssPeakMb, aliveAtEnd: alive, errorsLogged: serverErrors.length, firstErrorLogged: serverErrors[0] },
    goals: {
      p99RatioAtMost1_3: Object.fromEntries(Object.entries(summary).map(([k, s]) => [k, s.p99Ratio <= 1.3])),
      mutualFollowsP99AtMost10Ms: summary.mutualFollows.graphql.p99Ms <= 10,
      zeroErrors: failures === 0 && serverErrorsLogged === 0,
    },
    readmeRows,
  });
}

if (process.argv[1]?.endsWith('api-load.ts')) await main();
