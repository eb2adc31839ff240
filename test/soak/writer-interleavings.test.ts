/**
 * Soak: 20 seeded random interleavings of everything that decides who writes a hashtag — starts
 * over HTTP (alone and 2–8 at once), cancels at random moments, resumes of random earlier runs
 * (usually superseded ones), simultaneous resumes of one run, kill -9 of a CLI ingest, latency
 * switches — against one devnet community. After each, once nothing runs any more, the community
 * in Neo4j is the exact ground truth or exactly the graph it had before; never a smaller one. At
 * every observed moment at most one run is RUNNING, and every refusal carries a clear code.
 *
 * Replay a failure with INTERLEAVINGS_SEED=<printed seed> (and INTERLEAVINGS_COUNT to stop early).
 * The order of operations replays exactly; their timing against the crawl does not.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mulberry32, startDevnet, type Devnet, type Rng } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { spawnCli, waitFor } from '../support/cli.js';
import { latestRunState } from '../support/crash.js';
import { configFor, diffSnapshots, NO_DIFF, truthSnapshot } from '../support/devnet-ingest.js';
import { snapshotCommunity, type CommunitySnapshot } from '../support/graph-snapshot.js';
import { errorCode, graphql, type GraphQLResponse } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

jest.setTimeout(900_000);

const HASHTAG = 'databs';
const MEMBERS = 50;
const LEASE_TTL_MS = 2000;
const INTERLEAVINGS = Number(process.env.INTERLEAVINGS_COUNT ?? 20);
const SEED = Number(process.env.INTERLEAVINGS_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CLEAR_CODES = ['CONFLICT', 'BAD_USER_INPUT', 'NOT_FOUND'];

const START = `mutation($i: IngestInput!) { startIngest(input: $i) { id status } }`;
const RESUME = `mutation($id: ID!) { resumeIngest(id: $id) { id status } }`;
const CANCEL = `mutation($id: ID!) { cancelIngest(id: $id) { id status error } }`;
const RUNS = `query($first: Int) { ingestRuns(first: $first) { id hashtag status error removedMembers removedFollows } }`;

interface Run {
  id: string;
  hashtag: string;
  status: string;
  error: string | null;
  removedMembers: number;
  removedFollows: number;
}

let db: GraphDatabase;
let devnet: Devnet;
let ingest: IngestService;
let server: TestServer;
let cliEnv: Record<string, string | undefined>;
let truth: ReturnType<typeof truthSnapshot>;
/** The graph each interleaving starts from (the truth, after the clean ingest that ends the last). */
let previous: CommunitySnapshot;
/**
 * Live runs that lost their lease with nobody taking it over: a heartbeat did not get through
 * within the (deliberately tiny) TTL on a loaded machine. The run ends FAILED having written
 * nothing more, which keeps the invariant; counted and printed, not failed on.
 */
const leaseLapses: string[] = [];
const LEASE_LOST = /no longer holds the lease/;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const between = (rng: Rng, min: number, max: number) => min + Math.floor(rng() * (max - min + 1));

beforeAll(async () => {
  console.log(`[writer-interleavings] seed ${SEED} (replay: INTERLEAVINGS_SEED=${SEED})`);
  db = openTestDatabase();
  await resetGraph(db);
  devnet = await startDevnet({ members: MEMBERS, seed: 43, searchCap: 100, rateLimit: false,
    // Every run logs in (each CLI, each start and resume): the PDS's 30 sessions per 5 minutes would
    // park a run for minutes in its createSession backoff, which is not what this soak is about.
    createSessionLimits: [],
    faults: { latencyMs: [5, 15] },
  });
  const env = { BSKY_CONCURRENCY: '2', BSKY_RATE_LIMIT: '200/1', INGEST_LEASE_TTL_MS: String(LEASE_TTL_MS) };
  ingest = new IngestService({ db, config: configFor(devnet, env), logger: createLogger('silent') });
  // The watcher polls ingestRuns every 30 ms: well past the per-client default of 600 a minute.
  server = await startTestServer({ db, ingest, env: { RATE_LIMIT_PER_MINUTE: '1000000', RATE_LIMIT_BURST: '100000' } });
  cliEnv = {
    NEO4J_URI: process.env.NEO4J_URI,
    NEO4J_PASSWORD: process.env.NEO4J_PASSWORD,
    BSKY_SERVICE: devnet.url,
    BSKY_IDENTIFIER: devnet.credentials.identifier,
    BSKY_APP_PASSWORD: devnet.credentials.password,
    LOG_LEVEL: 'error',
    ...env,
  };
  truth = truthSnapshot(devnet.community);
  // A known graph to start from: a partial crawl over an empty graph is neither empty nor the truth.
  const problems: string[] = [];
  await cleanIngest(problems);
  expect(problems).toEqual([]);
  previous = await snapshotCommunity(db, HASHTAG);
}, 180_000);

afterAll(async () => {
  const lost = server ? (await listRuns()).filter((r) => r.status === 'FAILED' && LEASE_LOST.test(r.error ?? '')).length : 0;
  console.log(`[writer-interleavings] runs that ended FAILED on a lost lease: ${lost}`);
  console.log(`[writer-interleavings] seed ${SEED}: ${leaseLapses.length} live run(s) lost their lease to a late heartbeat${leaseLapses.length ? `: ${leaseLapses.join('; ')}` : ''}`);
  await ingest?.shutdown();
  await server?.close();
  await devnet?.close();
  await db?.close();
});

async function listRuns(first = 1000): Promise<Run[]> {
  const reply = await graphql(server.url, RUNS, { first });
  if (reply.errors) throw new Error(`ingestRuns failed: ${JSON.stringify(reply.errors)}`);
  return reply.data!.ingestRuns as Run[];
}

/** Polls ingestRuns over HTTP for the whole interleaving: never two RUNNING, never a SUCCEEDED reopened. */
class RunWatch {
  readonly problems: string[] = [];
  /** Runs seen going from a stopped status back to RUNNING (only an accepted resume may do that). */
  readonly reopened = new Set<string>();
  observations = 0;
  private readonly last = new Map<string, string>();
  private stopped = false;
  private readonly loop: Promise<void>;

  constructor() {
    this.loop = this.poll();
  }

  private async poll(): Promise<void> {
    while (!this.stopped) {
      const reply = await graphql(server.url, RUNS, { first: 100 });
      if (reply.errors) {
        this.problems.push(`ingestRuns answered ${JSON.stringify(reply.errors)}`);
      } else {
        this.observations++;
        const runs = reply.data!.ingestRuns as Run[];
        const running = runs.filter((r) => r.hashtag === HASHTAG && r.status === 'RUNNING');
        if (running.length > 1) this.problems.push(`observed ${running.length} RUNNING at once: ${running.map((r) => r.id).join(', ')}`);
        for (const r of runs) {
          const before = this.last.get(r.id);
          if (before === 'SUCCEEDED' && r.status !== 'SUCCEEDED') this.problems.push(`run ${r.id} went from SUCCEEDED to ${r.status}`);
          if (before && before !== 'RUNNING' && r.status === 'RUNNING') this.reopened.add(r.id);
          this.last.set(r.id, r.status);
        }
      }
      await sleep(30);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

/** What one interleaving did and what went wrong, printed with the seed when it fails. */
interface Trace {
  seed: number;
  ops: string[];
  problems: string[];
  /** Runs a resume was accepted for. */
  resumed: Set<string>;
  /** CLI runs killed with -9, and when: their lease lapses LEASE_TTL_MS later. */
  dead: Map<string, number>;
}

function refusal(trace: Trace, what: string, reply: GraphQLResponse, expected?: string[]): string {
  const code = String(errorCode(reply));
  if (!CLEAR_CODES.includes(code)) trace.problems.push(`${what}: refused with ${code}: ${reply.errors?.[0]?.message}`);
  else if (expected && !expected.includes(code)) trace.problems.push(`${what}: expected ${expected.join('/')}, got ${code}: ${reply.errors?.[0]?.message}`);
  return code;
}

async function starts(trace: Trace, n: number): Promise<void> {
  const runningBefore = (await listRuns()).some((r) => r.status === 'RUNNING');
  const replies = await Promise.all(Array.from({ length: n }, () => graphql(server.url, START, { i: { hashtag: HASHTAG } })));
  const started = replies.filter((r) => !r.errors).map((r) => r.data!.startIngest.id as string);
  const codes = replies.filter((r) => r.errors).map((r) => refusal(trace, `startIngest ×${n}`, r, ['CONFLICT']));
  trace.ops.push(`start×${n} → ${started.length ? `started ${started.join(',')}` : 'none started'}${codes.length ? `, ${codes.length} ${[...new Set(codes)].join('/')}` : ''}`);
  if (started.length > 1) trace.problems.push(`startIngest ×${n} started ${started.length} runs: ${started.join(', ')}`);
  // A RUNNING run seen just before may have ended (or lapsed) in between; with none, one must start.
  if (!runningBefore && started.length !== 1) trace.problems.push(`startIngest ×${n} with nothing running started ${started.length}`);
}

async function cancel(trace: Trace, rng: Rng): Promise<void> {
  const delay = between(rng, 0, 1500);
  await sleep(delay);
  const newest = (await listRuns(1))[0];
  if (!newest) return void trace.ops.push('cancel → no run');
  const wasRunning = newest.status === 'RUNNING';
  const reply = await graphql(server.url, CANCEL, { id: newest.id });
  if (reply.errors) {
    const code = refusal(trace, `cancelIngest ${newest.id} (${newest.status})`, reply, ['BAD_USER_INPUT']);
    trace.ops.push(`cancel@${delay}ms ${newest.id} (${newest.status}) → ${code}`);
    return;
  }
  const ended = reply.data!.cancelIngest as Run;
  trace.ops.push(`cancel@${delay}ms ${newest.id} (${newest.status}) → ${ended.status}${ended.error ? ` "${ended.error}"` : ''}`);
  if (!wasRunning) trace.problems.push(`cancelIngest of ${newest.status} run ${newest.id} was accepted`);
  if (ended.status === 'FAILED' && LEASE_LOST.test(ended.error ?? '')) leaseLapses.push(`#${trace.seed} cancel ${newest.id}`);
  else if (!['CANCELLED', 'SUCCEEDED'].includes(ended.status)) trace.problems.push(`cancelIngest ${newest.id} answered ${ended.status} (${ended.error})`);
}

/** Picks a run id: usually an older run, sometimes the newest, an unknown id or a malformed one. */
async function resumeTarget(rng: Rng): Promise<{ id: string; runs: Run[]; kind: string }> {
  const runs = await listRuns();
  const u = rng();
  if (u < 0.1) return { id: randomUUID(), runs, kind: 'unknown' };
  if (u < 0.15) return { id: 'not a run id!', runs, kind: 'malformed' };
  if (u < 0.4 || runs.length < 2) return { id: runs[0]!.id, runs, kind: 'newest' };
  return { id: runs[1 + Math.floor(rng() * (runs.length - 1))]!.id, runs, kind: 'older' };
}

function expectedResume(kind: string, id: string, runs: Run[]): { mayStart: boolean; mustStart: boolean; codes: string[]; mention?: string } {
  if (kind === 'unknown') return { mayStart: false, mustStart: false, codes: ['NOT_FOUND'] };
  if (kind === 'malformed') return { mayStart: false, mustStart: false, codes: ['BAD_USER_INPUT'] };
  const newest = runs[0]!;
  // An older run's checkpoint predates the newer run's graph: refused, naming the newest run.
  if (newest.id !== id) return { mayStart: false, mustStart: false, codes: ['BAD_USER_INPUT'], mention: newest.id };
  if (newest.status === 'SUCCEEDED') return { mayStart: false, mustStart: false, codes: ['BAD_USER_INPUT'] };
  // A RUNNING run may end (or its lease lapse) between the list and the resume.
  if (newest.status === 'RUNNING') return { mayStart: true, mustStart: false, codes: ['BAD_USER_INPUT', 'CONFLICT'] };
  return { mayStart: true, mustStart: true, codes: ['BAD_USER_INPUT', 'CONFLICT'] };
}

async function resumes(trace: Trace, rng: Rng, n: number, newestOnly: boolean): Promise<void> {
  const target = newestOnly ? await (async () => {
    const runs = await listRuns();
    return { id: runs[0]!.id, runs, kind: 'newest' };
  })() : await resumeTarget(rng);
  const { id, runs, kind } = target;
  const status = runs.find((r) => r.id === id)?.status ?? '-';
  const age = runs.findIndex((r) => r.id === id);
  const expected = expectedResume(kind, id, runs);
  const replies = await Promise.all(Array.from({ length: n }, () => graphql(server.url, RESUME, { id })));
  const accepted = replies.filter((r) => !r.errors);
  const what = `resumeIngest ×${n} of ${kind} run ${id} (${status}${age > 0 ? `, ${age} newer` : ''})`;
  const codes = replies.filter((r) => r.errors).map((r) => {
    const code = refusal(trace, what, r, expected.codes);
    if (expected.mention && !r.errors![0]!.message.includes(expected.mention)) {
      trace.problems.push(`${what}: refusal does not name the newest run ${expected.mention}: ${r.errors![0]!.message}`);
    }
    return code;
  });
  trace.ops.push(`resume×${n} ${kind} ${id.slice(0, 8)} (${status}${age > 0 ? `, ${age} newer` : ''}) → ${accepted.length} accepted${codes.length ? `, ${[...new Set(codes)].join('/')}` : ''}`);
  if (accepted.length > 0) {
    trace.resumed.add(id);
    // A killed CLI run resumed here is this process's now: settling waits for it, cancels nothing.
    trace.dead.delete(id);
  }
  if (accepted.length > 1) trace.problems.push(`${what}: accepted ${accepted.length} times`);
  if (accepted.length > 0 && !expected.mayStart) trace.problems.push(`${what}: accepted, must be refused`);
  if (accepted.length === 0 && expected.mustStart) trace.problems.push(`${what}: the newest stopped run was refused: ${replies[0]!.errors?.[0]?.message}`);
}

/** Runs the CLI ingest and SIGKILLs it at a random point of its run; then waits for its lease to lapse. */
async function killCli(trace: Trace, rng: Rng): Promise<void> {
  const known = new Set((await listRuns()).map((r) => r.id));
  const threshold = between(rng, 0, Math.floor(MEMBERS * 0.9));
  const child = spawnCli(['ingest', HASHTAG, '--json'], cliEnv);
  const exited = waitFor(child, 180_000);
  let victim: string | undefined;
  for (;;) {
    const state = await latestRunState(db, HASHTAG);
    if (state && !known.has(state.id) && state.status === 'RUNNING' && state.membersDone >= threshold) {
      victim = state.id;
      break;
    }
    if (child.exitCode !== null || child.signalCode !== null) break;
    await sleep(15);
  }
  if (victim) child.kill('SIGKILL');
  const result = await exited;
  if (result.signal === 'SIGKILL') {
    trace.dead.set(victim!, Date.now());
    trace.ops.push(`kill -9 CLI run ${victim!.slice(0, 8)} at membersDone ≥ ${threshold}`);
    await sleep(LEASE_TTL_MS + 500);
  } else if (result.code === 0) {
    trace.ops.push(`CLI finished before membersDone ≥ ${threshold}`);
  } else if (result.code === 1 && /already running \(run [\w-]+\)/.test(result.stderr)) {
    trace.ops.push('CLI refused: already running');
  } else {
    trace.problems.push(`CLI ingest exited ${result.code}/${result.signal}: ${result.stderr.trim()}`);
  }
}

/** Nothing RUNNING any more: live runs end on their own, killed ones are cancelled once their lease lapsed. */
async function settle(trace: Trace): Promise<void> {
  devnet.setFaults({ latencyMs: [5, 15] });
  const deadline = Date.now() + 120_000;
  for (;;) {
    const running = (await listRuns()).filter((r) => r.status === 'RUNNING');
    if (running.length === 0) return;
    if (Date.now() > deadline) {
      trace.problems.push(`still RUNNING after 120 s: ${running.map((r) => r.id).join(', ')}`);
      return;
    }
    for (const r of running) {
      const killedAt = trace.dead.get(r.id);
      if (killedAt === undefined || Date.now() - killedAt < LEASE_TTL_MS + 200) continue;
      const reply = await graphql(server.url, CANCEL, { id: r.id });
      if (reply.errors) refusal(trace, `settle: cancelIngest of dead run ${r.id}`, reply, ['BAD_USER_INPUT']);
      else if (reply.data!.cancelIngest.status !== 'CANCELLED') trace.problems.push(`settle: cancelling dead run ${r.id} answered ${reply.data!.cancelIngest.status}`);
      trace.ops.push(`settle: cancel dead ${r.id.slice(0, 8)} → ${reply.errors ? errorCode(reply) : reply.data!.cancelIngest.status}`);
    }
    await sleep(100);
  }
}

function sameSnapshot(a: CommunitySnapshot, b: CommunitySnapshot): boolean {
  const sameMap = (x: Map<string, unknown>, y: Map<string, unknown>) => x.size === y.size && [...x].every(([k, v]) => y.get(k) === v);
  return a.members.join('\n') === b.members.join('\n') && a.edges.join('\n') === b.edges.join('\n') && sameMap(a.handles, b.handles) && sameMap(a.posts, b.posts);
}

const exactly = () => NO_DIFF({ members: [truth.members.length, truth.members.length], edges: [truth.edges.length, truth.edges.length] });

async function cleanIngest(problems: string[], attempts = 3): Promise<void> {
  devnet.setFaults({ latencyMs: [5, 15] });
  const reply = await graphql(server.url, START, { i: { hashtag: HASHTAG } });
  if (reply.errors) return void problems.push(`clean startIngest refused: ${JSON.stringify(reply.errors)}`);
  const id = reply.data!.startIngest.id as string;
  const deadline = Date.now() + 90_000;
  let run: Run | undefined;
  while (Date.now() < deadline) {
    run = (await listRuns()).find((r) => r.id === id);
    if (run && run.status !== 'RUNNING') break;
    await sleep(100);
  }
  if (run?.status === 'FAILED' && LEASE_LOST.test(run.error ?? '') && attempts > 1) {
    leaseLapses.push(`clean ingest ${id}`);
    return cleanIngest(problems, attempts - 1);
  }
  if (run?.status !== 'SUCCEEDED') problems.push(`clean ingest ${id} ended ${run?.status}: ${run?.error}`);
  const diff = diffSnapshots(await snapshotCommunity(db, HASHTAG), truth);
  if (JSON.stringify(diff) !== JSON.stringify(exactly())) problems.push(`after the clean ingest the graph is not the truth: ${JSON.stringify(diff)}`);
}

const OPS: Array<[weight: number, name: string]> = [
  [3, 'start'],
  [2, 'cancel'],
  [3, 'resume'],
  [2, 'starts'],
  [1, 'resumes'],
  [1.5, 'kill'],
  [1, 'latency'],
  [1, 'pause'],
];

function nextOp(rng: Rng): string {
  const total = OPS.reduce((s, [w]) => s + w, 0);
  let u = rng() * total;
  for (const [w, name] of OPS) if ((u -= w) < 0) return name;
  return 'pause';
}

async function interleaving(seed: number, traces: Trace[]): Promise<Trace> {
  const rng = mulberry32(seed);
  const trace: Trace = { seed, ops: [], problems: [], resumed: new Set(), dead: new Map() };
  traces.push(trace);
  const watch = new RunWatch();
  try {
    const steps = between(rng, 4, 7);
    for (let i = 0; i < steps; i++) {
      const op = nextOp(rng);
      switch (op) {
        case 'start':
          await starts(trace, 1);
          break;
        case 'starts':
          await starts(trace, between(rng, 2, 8));
          break;
        case 'cancel':
          await cancel(trace, rng);
          break;
        case 'resume':
          await resumes(trace, rng, 1, false);
          break;
        case 'resumes':
          await resumes(trace, rng, between(rng, 2, 4), true);
          break;
        case 'kill':
          await killCli(trace, rng);
          break;
        case 'latency': {
          const min = between(rng, 5, 30);
          const max = between(rng, min, 60);
          devnet.setFaults({ latencyMs: [min, max] });
          trace.ops.push(`latency ${min}–${max} ms`);
          break;
        }
        case 'pause': {
          const ms = between(rng, 0, 800);
          await sleep(ms);
          trace.ops.push(`pause ${ms} ms`);
          break;
        }
      }
    }
    await settle(trace);
  } finally {
    await watch.stop();
  }
  trace.problems.push(...watch.problems);
  for (const id of watch.reopened) if (!trace.resumed.has(id)) trace.problems.push(`run ${id} went back to RUNNING without an accepted resume`);
  if (watch.observations < 5) trace.problems.push(`only ${watch.observations} observations of ingestRuns`);

  // The community never lost anything: each run's finalise removed nothing from an unchanged community.
  for (const r of await listRuns()) {
    if (r.removedMembers !== 0 || r.removedFollows !== 0) trace.problems.push(`run ${r.id} (${r.status}) removed ${r.removedMembers} members, ${r.removedFollows} follows`);
  }
  const actual = await snapshotCommunity(db, HASHTAG);
  const diff = diffSnapshots(actual, truth);
  if (JSON.stringify(diff) !== JSON.stringify(exactly()) && !sameSnapshot(actual, previous)) {
    trace.problems.push(`graph is neither the truth nor the previous graph: ${JSON.stringify(diff)}`);
  }

  await cleanIngest(trace.problems);
  previous = await snapshotCommunity(db, HASHTAG);
  return trace;
}

describe(`${INTERLEAVINGS} random interleavings of start, cancel, resume and kill -9 (seed ${SEED})`, () => {
  for (let k = 0; k < INTERLEAVINGS; k++) {
    it(`interleaving ${k + 1}`, async () => {
      const started = Date.now();
      const traces: Trace[] = [];
      let timer: NodeJS.Timeout | undefined;
      // A hang must still say which operations led to it.
      const hung = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(new Error(`interleaving ${k + 1} (seed ${SEED}+${k}) hung after: ${traces[0]?.ops.join(' | ')}`)), 240_000);
      });
      const trace = await Promise.race([interleaving(SEED + k, traces), hung]).finally(() => clearTimeout(timer));
      console.log(`[writer-interleavings] #${k + 1} seed ${SEED}+${k} (${Date.now() - started} ms): ${trace.ops.join(' | ')}`);
      expect({ seed: SEED, interleaving: k + 1, ops: trace.ops, problems: trace.problems }).toEqual({ seed: SEED, interleaving: k + 1, ops: trace.ops, problems: [] });
    });
  }
});
