/**
 * Soak: 200 concurrent GraphQL clients for 60 s against `bsky-graph serve` (its own process) on the
 * big graph (15,000 actors, 1,000,000 follows), sending a mix of actor, mutualFollows,
 * neighbourhood (depth 1 and 2) and centrality (see MIX). Every answer is checked — status, GraphQL errors, and its
 * content against the generated community's ground truth — and the server's RSS after the run must be
 * at most 1.5 × its RSS after a warm-up; the server must still answer afterwards.
 * Run with `npm run test:soak`; it (re)loads the big graph into the test database when absent.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { pagerankScores } from '../../src/analytics/centrality.js';
import { buildFollowGraph } from '../../src/analytics/follow-graph.js';
import { rankScores } from '../../src/analytics/ranking.js';
import { followsOf, type Community } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { API_QUERIES, loadGraphQL, midDegreeHandles, rotation, startServerProcess, type ApiQueryName, type ServerProcess } from '../../bench/api-load.js';
import { BIG_GRAPH_HASHTAG, ensureBigGraph } from '../../bench/big-graph.js';
import { openTestDatabase } from '../support/neo4j.js';

jest.setTimeout(900_000);

const CLIENTS = 200;
const SECONDS = 60;
const WARM_UP_SECONDS = 15;
// Sent in turn on every connection: profile look-ups and lists are the common requests; a graph view
// (a neighbourhood, depth 1 or 2, limit 500) is one in four.
const MIX: ApiQueryName[] = ['actor', 'mutualFollows', 'centrality', 'neighbourhood', 'actor', 'neighbourhoodDepth1', 'mutualFollows', 'centrality'];

let db: GraphDatabase;
let server: ServerProcess | undefined;
let community: Community;
const serverLog: string[] = [];

beforeAll(async () => {
  db = openTestDatabase();
  const graph = await ensureBigGraph(db);
  community = graph.community();
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
  delete env.NODE_OPTIONS; // jest's --experimental-vm-modules is not the server's business
  server = await startServerProcess(env, (text) => serverLog.push(text));
});

afterAll(async () => {
  await server?.stop();
  await db?.close();
});

/** What the answers should say, from the generated community (not from Neo4j). */
class Truth {
  private readonly byHandle = new Map<string, number>();
  private readonly followers = new Map<number, number[]>();
  private readonly follows: Set<number>[] = [];
  private topPagerank: string[] | null = null;

  constructor(private readonly c: Community) {
    c.actors.forEach((a) => this.byHandle.set(a.handle, a.index));
    for (let m = 0; m < c.memberCount; m++) {
      const targets = followsOf(c.follows, m);
      this.follows[m] = new Set(targets);
      for (const t of targets) {
        let list = this.followers.get(t);
        if (!list) this.followers.set(t, (list = []));
        list.push(m);
      }
    }
  }

  index(handle: string): number {
    const i = this.byHandle.get(handle);
    if (i === undefined) throw new Error(`unknown handle ${handle}`);
    return i;
  }

  /** Members m follows who follow m back, by handle, first 20. */
  mutuals(m: number): string[] {
    const back = (this.followers.get(m) ?? []).filter((f) => this.follows[m]!.has(f));
    return back.map((f) => this.c.actors[f]!.handle).sort().slice(0, 20);
  }

  /** Depth-1 neighbourhood (BOTH): node count and induced edge count (limit 500 not reached by mid-degree members). */
  neighbourhood(m: number): { nodes: number; edges: number } {
    const set = new Set<number>([m, ...this.follows[m]!, ...(this.followers.get(m) ?? [])]);
    let edges = 0;
    for (const u of set) for (const t of this.follows[u] ?? []) if (set.has(t)) edges++;
    return { nodes: set.size, edges };
  }

  /**
   * Depth-2 neighbourhood (BOTH, limit 500) by the API's rules, computed independently: nearer
   * actors first; at the hop where the cut falls, the lowest DIDs. DIDs in order, induced edges.
   */
  neighbourhood2(m: number): { dids: string[]; edges: number; truncated: boolean } {
    const did = (i: number) => this.c.actors[i]!.did;
    const byDid = (x: number, y: number) => (did(x) < did(y) ? -1 : did(x) > did(y) ? 1 : 0);
    const chosen = [m];
    const seen = new Set(chosen);
    let frontier = [m];
    let truncated = false;
    for (let hop = 1; hop <= 2 && !truncated; hop++) {
      const found = new Set<number>();
      for (const f of frontier) for (const n of [...(this.follows[f] ?? []), ...(this.followers.get(f) ?? [])]) if (!seen.has(n)) found.add(n);
      const room = 500 - chosen.length;
      if (room <= 0) {
        truncated = found.size > 0;
        break;
      }
      const sorted = [...found].sort(byDid);
      if (sorted.length > room) {
        truncated = true;
        sorted.length = room;
      }
      for (const n of sorted) seen.add(n);
      chosen.push(...sorted);
      frontier = sorted;
    }
    let edges = 0;
    for (const u of chosen) for (const t of this.follows[u] ?? []) if (seen.has(t)) edges++;
    return { dids: chosen.map(did), edges, truncated };
  }

  /** PageRank top 20 over #databs COMMUNITY (members, follows among them), by graphology on the truth. */
  pagerankTop20(): string[] {
    if (!this.topPagerank) {
      const members = this.c.actors.slice(0, this.c.memberCount);
      const edges: Array<[string, string]> = [];
      for (let m = 0; m < this.c.memberCount; m++) {
        for (const t of this.follows[m]!) if (t < this.c.memberCount) edges.push([members[m]!.did, members[t]!.did]);
      }
      const scores = pagerankScores(buildFollowGraph(members, edges));
      const handleOf = new Map(members.map((a) => [a.did, a.handle]));
      this.topPagerank = rankScores([...scores].map(([did, score]) => ({ did, score, handle: handleOf.get(did) ?? null }))).slice(0, 20).map((r) => r.did);
    }
    return this.topPagerank;
  }
}

/**
 * Checks an answer by what it says it answers (the operation's alias, `asked`), not by which
 * request autocannon called back for: see API_QUERIES.
 */
function checker(truth: Truth) {
  return (_name: ApiQueryName, _actor: string | undefined, body: string): string | null => {
    const data = (JSON.parse(body) as { data: Record<string, any> }).data;
    const asked: string | undefined = data.asked?.handle;
    if ('centrality' in data) {
      const got = (data.centrality as Array<{ actor: { did: string } }>).map((r) => r.actor.did);
      return JSON.stringify(got) === JSON.stringify(truth.pagerankTop20()) ? null : 'PageRank top 20 differs from the ground truth';
    }
    if (!asked) return `no actor named in ${Object.keys(data).join(', ')}`;
    if ('actor' in data) {
      const a = community.actors[truth.index(asked)]!;
      const got = data.actor;
      if (!got || got.handle !== a.handle || got.did !== a.did) return `got ${got?.handle}`;
      if (got.followersCount !== a.followersCount || got.followsCount !== a.followsCount || got.postsCount !== a.postsCount) return 'wrong counts';
      return got.hashtags.includes(BIG_GRAPH_HASHTAG) ? null : `hashtags ${got.hashtags}`;
    }
    if ('mutualFollows' in data) {
      const want = truth.mutuals(truth.index(asked));
      const got = (data.mutualFollows.edges as Array<{ node: { handle: string } }>).map((e) => e.node.handle);
      return JSON.stringify(got) === JSON.stringify(want) ? null : `mutuals of ${asked}: ${got} ≠ ${want}`;
    }
    if ('depth1' in data) {
      const want = truth.neighbourhood(truth.index(asked));
      const got = { nodes: data.depth1.nodes.length, edges: data.depth1.edges.length };
      return got.nodes === want.nodes && got.edges === want.edges && !data.depth1.truncated ? null : `neighbourhood of ${asked}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`;
    }
    if ('depth2' in data) {
      const want = truth.neighbourhood2(truth.index(asked));
      const got = { dids: (data.depth2.nodes as Array<{ did: string }>).map((n) => n.did), edges: data.depth2.edges.length, truncated: data.depth2.truncated };
      return JSON.stringify(got) === JSON.stringify(want) ? null : `depth-2 neighbourhood of ${asked}: ${got.dids.length} actors, ${got.edges} edges ≠ ${want.dids.length}, ${want.edges}`;
    }
    return `unexpected answer with ${Object.keys(data).join(', ')}`;
  };
}

describe('GraphQL server under 200 concurrent clients', () => {
  it('answers every request correctly for 60 s, keeps its memory flat and stays up', async () => {
    const truth = new Truth(community);
    const verify = checker(truth);
    truth.pagerankTop20(); // computed before the clock starts
    const handles = midDegreeHandles(community);
    // Mid-degree members stay far below the neighbourhood limit of 500, so the check above is exact.
    expect(Math.max(...handles.map((h) => truth.neighbourhood(truth.index(h)).nodes))).toBeLessThan(500);
    const nextActor = rotation(handles);
    const url = server!.url;

    const warmUp = await loadGraphQL({ url, operations: MIX, nextActor, connections: CLIENTS, seconds: WARM_UP_SECONDS, verify });
    const rssStartMb = server!.rssMb();
    let rssPeakMb = rssStartMb;
    const timer = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, server!.rssMb())), 1000);
    const run = await loadGraphQL({ url, operations: MIX, nextActor, connections: CLIENTS, seconds: SECONDS, verify });
    clearInterval(timer);
    const rssEndMb = server!.rssMb();

    const health = await fetch(`${url}/healthz`);
    const after = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: API_QUERIES.actor, variables: { actor: handles[0] } }),
    });
    const afterBody = await after.text();

    console.log(
      JSON.stringify({
        soak: 'api-load',
        clients: CLIENTS,
        seconds: run.seconds,
        requests: run.requests,
        requestsPerSecond: run.requestsPerSecond,
        p50Ms: run.p50Ms,
        p99Ms: run.p99Ms,
        maxMs: run.maxMs,
        errors: run.errors,
        timeouts: run.timeouts,
        non2xx: run.non2xx,
        graphqlErrors: run.graphqlErrors,
        wrongAnswers: run.wrongAnswers,
        firstError: run.firstError ?? warmUp.firstError,
        serverRssMb: { afterWarmUp: rssStartMb, peak: Math.max(rssPeakMb, rssEndMb), end: rssEndMb, ratio: Math.round((rssEndMb / rssStartMb) * 100) / 100 },
        warmUp: { requests: warmUp.requests, errors: warmUp.errors + warmUp.non2xx + warmUp.graphqlErrors + warmUp.wrongAnswers },
      }),
    );
    const failures = (r: typeof run) => ({ errors: r.errors, timeouts: r.timeouts, non2xx: r.non2xx, graphqlErrors: r.graphqlErrors, wrongAnswers: r.wrongAnswers });
    const none = { errors: 0, timeouts: 0, non2xx: 0, graphqlErrors: 0, wrongAnswers: 0 };
    expect({ ...failures(run), firstError: run.firstError }).toEqual({ ...none, firstError: undefined });
    expect(failures(warmUp)).toEqual(none);
    // Not a throughput goal (the machine is shared): every client must have been answered, repeatedly.
    expect(run.requests).toBeGreaterThan(CLIENTS * 3);
    expect(rssEndMb).toBeLessThanOrEqual(rssStartMb * 1.5);
    expect(server!.alive()).toBe(true);
    expect(health.status).toBe(200);
    expect(after.status).toBe(200);
    expect(JSON.parse(afterBody).data.actor.handle).toBe(handles[0]);
    expect(serverLog.join('')).not.toMatch(/\bERROR\b/);
  });
});
