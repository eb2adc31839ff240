/**
 * Centrality and communities against a real Neo4j with GDS: both engines on the same graph, checked
 * against each other and, where the numbers can be counted independently (degrees), against the
 * fixture itself. Also: reads write nothing, the explicit computeScores step, cache hits, bounds and
 * sharing, projections dropped, bad input.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CentralityService, writeScores, type RankedDid } from '../../src/analytics/centrality-service.js';
import { GraphologyEngine } from '../../src/analytics/graphology-engine.js';
import { InMemoryFirstEngine } from '../../src/analytics/in-memory-first-engine.js';
import { scopeGraphsOf } from '../../src/cli/app.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import type { CentralityMetric } from '../../src/core/centrality.js';
import type { Scope } from '../../src/core/scope.js';
import { GraphDatabase, type Params } from '../../src/graph/database.js';
import { bumpGraphVersion, readGraphVersion } from '../../src/graph/graph-version.js';
import { openTestDatabase, resetGraph, testDatabaseUri } from '../support/neo4j.js';
import { buildFixture, fixtureScope, loadFixture, type AnalyticsFixture } from '../support/analytics-fixture.js';
import { spearman } from '../support/analytics-rank-correlation.js';
import { snapshotProperties } from '../support/property-snapshot.js';

let db: GraphDatabase;
let fixture: AnalyticsFixture;
let gds: CentralityService;
let graphology: CentralityService;

const SCOPES: Array<{ name: string; hashtag: string | undefined; scope: Scope }> = [
  { name: 'whole graph', hashtag: undefined, scope: 'ALL' },
  { name: '#databs COMMUNITY', hashtag: 'databs', scope: 'COMMUNITY' },
  { name: '#databs ALL', hashtag: 'databs', scope: 'ALL' },
];
const EVERYONE = 1_000_000;
const toMap = (ranking: RankedDid[]) => new Map(ranking.map((r) => [r.did, r.score]));

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildFixture();
  await loadFixture(db, fixture);
  gds = new CentralityService(db);
  graphology = new CentralityService(db, { gds: 'never' });
}, 300_000);

afterAll(async () => {
  await db?.close();
});

describe('engines', () => {
  it('uses GDS when the plugin is installed, graphology when told not to', async () => {
    expect(await gds.engine()).toBe('gds');
    expect(await graphology.engine()).toBe('graphology');
  });
});

describe.each(SCOPES)('degree metrics on the $name', ({ hashtag, scope }) => {
  it.each(['DEGREE', 'IN_DEGREE', 'OUT_DEGREE'] as const)('%s: both engines equal the degrees counted from the fixture', async (metric) => {
    const { nodes, edges } = fixtureScope(fixture, hashtag ?? null, scope);
    const count = new Map([...nodes].map((d) => [d, 0]));
    for (const [s, t] of edges) {
      if (metric !== 'IN_DEGREE') count.set(s, count.get(s)! + 1);
      if (metric !== 'OUT_DEGREE') count.set(t, count.get(t)! + 1);
    }
    // Expected order, independently: score desc, handle asc, DID asc.
    const handle = (d: string) => fixture.actors.get(d)!.handle;
    const expected = [...count].sort(([a, x], [b, y]) => y - x || (handle(a) < handle(b) ? -1 : handle(a) > handle(b) ? 1 : a < b ? -1 : 1));

    const fromGds = await gds.centrality(metric, { hashtag, scope, first: EVERYONE });
    const fromGraphology = await graphology.centrality(metric, { hashtag, scope, first: EVERYONE });
    expect(fromGds).toEqual(fromGraphology);
    expect(fromGds.map((r) => [r.did, r.score])).toEqual(expected);
    expect(fromGds.map((r) => r.rank)).toEqual(expected.map((_, i) => i + 1));
  });
});

describe.each(SCOPES)('path metrics on the $name', ({ name, hashtag, scope }) => {
  it.each(['PAGERANK', 'BETWEENNESS', 'CLOSENESS'] as const)('%s: GDS and graphology rank alike', async (metric: CentralityMetric) => {
    const { nodes } = fixtureScope(fixture, hashtag ?? null, scope);
    const fromGds = await gds.centrality(metric, { hashtag, scope, first: EVERYONE });
    const fromGraphology = await graphology.centrality(metric, { hashtag, scope, first: EVERYONE });
    expect(new Set(fromGds.map((r) => r.did))).toEqual(nodes);
    expect(new Set(fromGraphology.map((r) => r.did))).toEqual(nodes);

    const rho = spearman(toMap(fromGds), toMap(fromGraphology));
    const top = 20;
    const sameOrder = fromGds.filter((r, i) => fromGraphology[i]!.did === r.did).length;
    console.log(`${metric} on ${name}: ${nodes.size} actors, spearman ${rho.toFixed(6)}, identical positions ${sameOrder}/${nodes.size}`);
    expect(rho).toBeGreaterThanOrEqual(0.99);
    expect(fromGds.slice(0, top).map((r) => r.did)).toEqual(fromGraphology.slice(0, top).map((r) => r.did));
    // Same parameters, same numbers (not just the same order).
    const other = toMap(fromGraphology);
    for (const r of fromGds) expect(Math.abs(r.score - other.get(r.did)!)).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(r.score), 1e-12) + 1e-12);
    if (metric === 'PAGERANK') expect(fromGds.reduce((s, r) => s + r.score, 0)).toBeCloseTo(1, 9);
  });
});

describe('computed from the read model (the in-memory copy the server holds)', () => {
  it('scores exactly as the streaming graphology engine, partitions alike, and leaves a stale copy alone', async () => {
    const readModel = new ReadModel(db, { enabled: true });
    await readModel.ready();
    const streaming = new GraphologyEngine(db);
    const inMemory = new InMemoryFirstEngine(scopeGraphsOf(readModel), streaming);
    let runs = 0;
    for (const { hashtag, scope } of SCOPES) {
      const graphScope = { hashtag: hashtag ?? null, scope };
      for (const metric of ['PAGERANK', 'BETWEENNESS', 'CLOSENESS', 'DEGREE'] as const) {
        const fromMemory = new Map((await inMemory.scores(metric, graphScope)).map((a) => [a.did, a.score]));
        const fromNeo4j = new Map((await streaming.scores(metric, graphScope)).map((a) => [a.did, a.score]));
        expect(new Set(fromMemory.keys())).toEqual(new Set(fromNeo4j.keys()));
        // Same algorithm and parameters; only the order of floating-point sums may differ.
        for (const [did, score] of fromNeo4j) expect(Math.abs(fromMemory.get(did)! - score)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(score), 1e-12));
        runs++;
      }
      const a = await inMemory.communities(graphScope);
      const b = await streaming.communities(graphScope);
      // Louvain builds its graph in DID order, so however the scope was loaded, the same partition.
      expect(a).toEqual(b);
      runs++;
    }
    expect(inMemory.inMemoryRuns).toBe(runs);
    await db.writeTx((tx) => bumpGraphVersion(tx));
    await inMemory.scores('PAGERANK', { hashtag: 'databs', scope: 'COMMUNITY' });
    expect(inMemory.inMemoryRuns).toBe(runs); // the copy is of an older graph: Neo4j answered
    readModel.close();
  });
});

describe('cache', () => {
  it('answers a repeated question from the cache (one query: the graph version) until an ingest bumps the version', async () => {
    const service = new CentralityService(db);
    const ask = () => service.centrality('BETWEENNESS', { hashtag: 'databs', scope: 'ALL', first: 5 });
    const first = await ask();
    const computed = service.computations;
    const queriesBefore = db.queryCount;
    const second = await ask();
    expect(db.queryCount - queriesBefore).toBe(1);
    expect(service.computations).toBe(computed);
    expect(second).toEqual(first);

    // Other questions are other entries; `first` only slices the cached ranking.
    expect(await service.centrality('BETWEENNESS', { hashtag: 'databs', scope: 'ALL', first: 50 })).toHaveLength(50);
    expect(service.computations).toBe(computed);

    await db.writeTx((tx) => bumpGraphVersion(tx));
    const afterIngest = await ask();
    expect(service.computations).toBe(computed + 1);
    // GDS betweenness runs in parallel: the same ranking, scores equal up to summation order.
    expect(afterIngest.map((r) => r.did)).toEqual(first.map((r) => r.did));
    afterIngest.forEach((r, i) => expect(r.score).toBeCloseTo(first[i]!.score, 6));
  });
});

describe('reads write nothing', () => {
  it('leaves every node and relationship property as it was after centrality and communities', async () => {
    const before = await snapshotProperties(db);
    for (const service of [new CentralityService(db), new CentralityService(db, { gds: 'never' })]) {
      await service.centrality('PAGERANK', { hashtag: 'databs', scope: 'COMMUNITY', first: 5 });
      await service.centrality('PAGERANK', { hashtag: 'other', scope: 'ALL', first: 5 });
      await service.centrality('PAGERANK', { scope: 'ALL', first: 5 });
      await service.communities('databs');
      await service.communities('other');
    }
    expect(await snapshotProperties(db)).toEqual(before);
  });
});

describe('computeScores (the explicit step)', () => {
  const stored = (hashtag: string) =>
    db.read<{ did: string; pagerank: number | null; community: number | null }>(
      `MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag}) RETURN a.did AS did, p.pagerank AS pagerank, p.community AS community`,
      { hashtag },
    );

  it('writes PageRank and Louvain of its hashtag on POSTED_WITH, equal to what the queries answer, and nothing else', async () => {
    await db.write(`MATCH ()-[p:POSTED_WITH]->() REMOVE p.pagerank, p.community`);
    const otherBefore = await stored('other');
    const nodesBefore = await db.read<{ did: string; props: Record<string, unknown> }>(`MATCH (a:Actor) RETURN a.did AS did, properties(a) AS props ORDER BY did`);

    for (const service of [gds, graphology]) {
      const result = await service.computeScores('#DataBS');
      const members = fixture.members.get('databs')!;
      expect(result).toMatchObject({ hashtag: 'databs', actors: members.size, engine: await service.engine() });
      expect(result.computedAt).toEqual(expect.any(String));

      const rows = await stored('databs');
      expect(rows).toHaveLength(members.size);
      const ranking = toMap(await service.centrality('PAGERANK', { hashtag: 'databs', scope: 'COMMUNITY', first: EVERYONE }));
      for (const row of rows) expect(row.pagerank).toBe(ranking.get(row.did));

      const groups = await service.communities('databs');
      const sizes = new Map<number, number>();
      for (const row of rows) sizes.set(row.community!, (sizes.get(row.community!) ?? 0) + 1);
      expect(Object.fromEntries(sizes)).toEqual(Object.fromEntries(groups.map((g) => [g.id, g.size])));
      // Top members: the community's members in PageRank order.
      const pagerank = await service.centrality('PAGERANK', { hashtag: 'databs', scope: 'COMMUNITY', first: EVERYONE });
      const community = new Map(rows.map((r) => [r.did, r.community]));
      for (const g of groups.slice(0, 3)) {
        expect(g.topMembers).toEqual(pagerank.filter((r) => community.get(r.did) === g.id).slice(0, 10).map((r) => r.did));
      }
      console.log(`louvain (${result.engine}): ${groups.length} communities, largest ${groups.slice(0, 5).map((g) => g.size).join(', ')}`);
    }

    // Another hashtag's memberships (some of them the same actors) and every node are untouched.
    expect(await stored('other')).toEqual(otherBefore);
    expect(await db.read(`MATCH (a:Actor) RETURN a.did AS did, properties(a) AS props ORDER BY did`)).toEqual(nodesBefore);
    const [stamp] = await db.read<{ version: number }>(`MATCH (h:Hashtag {name: 'databs'}) RETURN h.scoresGraphVersion AS version`);
    expect(stamp!.version).toBe(await readGraphVersion(db));
  });

  it('writeScores does the same for callers without a service (the end of an ingest)', async () => {
    const result = await writeScores(db, 'other', { gds: 'never' });
    expect(result.actors).toBe(fixture.members.get('other')!.size);
    const rows = await stored('other');
    expect(rows.every((r) => typeof r.pagerank === 'number' && typeof r.community === 'number')).toBe(true);
    expect(rows.reduce((s, r) => s + r.pagerank!, 0)).toBeCloseTo(1, 9);
  });

  it('refuses a hashtag the graph does not have with NOT_FOUND, writing nothing', async () => {
    const before = await snapshotProperties(db);
    await expect(gds.computeScores('nosuchtag')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await snapshotProperties(db)).toEqual(before);
  });
});

describe('cache bounds and sharing', () => {
  it('stays within its capacity under 500 distinct random hashtags, none of them cached or computed', async () => {
    const service = new CentralityService(db, { cacheSize: 8 });
    await service.centrality('DEGREE', { hashtag: 'databs', scope: 'ALL', first: 3 });
    const computed = service.computations;
    const runs = service.algorithmRuns;
    for (let i = 0; i < 500; i++) {
      const tag = `t${Math.random().toString(36).slice(2, 12)}${i}`;
      expect(await service.centrality('PAGERANK', { hashtag: tag, scope: i % 2 ? 'ALL' : 'COMMUNITY', first: 3 })).toEqual([]);
      if (i % 50 === 0) expect(await service.communities(tag)).toEqual([]);
      expect(service.cacheSize).toBeLessThanOrEqual(8);
    }
    expect(service.computations).toBe(computed);
    expect(service.algorithmRuns).toBe(runs);
    expect(service.cacheSize).toBe(1);
    // Real questions beyond the capacity evict the least recently used.
    for (const metric of ['PAGERANK', 'DEGREE', 'IN_DEGREE', 'OUT_DEGREE'] as const) {
      for (const [hashtag, scope] of [['databs', 'ALL'], ['databs', 'COMMUNITY'], ['other', 'ALL']] as const) {
        await service.centrality(metric, { hashtag, scope, first: 1 });
        expect(service.cacheSize).toBeLessThanOrEqual(8);
      }
    }
    expect(service.cacheSize).toBe(8);
  });

  it('runs the algorithm once for concurrent identical cold questions', async () => {
    for (const service of [new CentralityService(db), new CentralityService(db, { gds: 'never' })]) {
      const ask = () => service.centrality('PAGERANK', { hashtag: 'databs', scope: 'ALL', first: 10 });
      const answers = await Promise.all([ask(), ask(), ask(), ask()]);
      expect(service.algorithmRuns).toBe(1);
      for (const a of answers) expect(a).toEqual(answers[0]);
      // Louvain needs PageRank: it reuses the answer instead of running it again.
      const groups = await Promise.all([service.communities('databs'), service.communities('databs')]);
      expect(groups[1]).toEqual(groups[0]);
      expect(service.algorithmRuns).toBe(3); // PageRank (COMMUNITY scope) + Louvain
    }
  });

  it('runs distinct computations one at a time through the queue', async () => {
    const service = new CentralityService(db, { gds: 'never' });
    const questions = (['PAGERANK', 'DEGREE', 'IN_DEGREE', 'OUT_DEGREE'] as const).map((metric) =>
      service.centrality(metric, { hashtag: 'databs', scope: 'ALL', first: 1 }),
    );
    let most = 0;
    let waiting = 0;
    const watch = setInterval(() => {
      most = Math.max(most, service.running);
      waiting = Math.max(waiting, service.pending - service.running);
    }, 1);
    await Promise.all(questions);
    clearInterval(watch);
    expect(most).toBe(1);
    expect(waiting).toBeGreaterThan(0);
    expect(service.pending).toBe(0);
    expect(service.algorithmRuns).toBe(4);
  });
});

describe('GDS projections', () => {
  it('are all dropped afterwards', async () => {
    await gds.centrality('CLOSENESS', { hashtag: 'other', scope: 'ALL', first: 3 });
    const left = await db.read<{ n: number }>(`CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH 'bsky-graph-' RETURN count(*) AS n`);
    expect(left[0]!.n).toBe(0);
  });
});

describe('GDS projections when an algorithm fails', () => {
  /** The real database, except that streaming a GDS algorithm fails half-way (after the projection). */
  class FailingAlgorithms extends GraphDatabase {
    override async *stream<T extends Record<string, unknown>>(cypher: string, params?: Params, timeoutMs?: number): AsyncGenerator<T> {
      if (cypher.includes('gds.pageRank.stream')) throw new Error('algorithm failed');
      yield* super.stream<T>(cypher, params, timeoutMs);
    }
  }

  it('are dropped all the same, and the failure is not cached', async () => {
    const failing = new FailingAlgorithms({ uri: testDatabaseUri(), user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD || undefined });
    try {
      const service = new CentralityService(failing);
      await expect(service.centrality('PAGERANK', { hashtag: 'databs', scope: 'ALL', first: 3 })).rejects.toThrow('algorithm failed');
      const left = await db.read<{ n: number }>(`CALL gds.graph.list() YIELD graphName WHERE graphName STARTS WITH 'bsky-graph-' RETURN count(*) AS n`);
      expect(left[0]!.n).toBe(0);
      expect(await service.centrality('DEGREE', { hashtag: 'databs', scope: 'ALL', first: 3 })).toHaveLength(3);
    } finally {
      await failing.close();
    }
  });
});

describe('the in-process engine', () => {
  it('refuses all-pairs metrics it could not finish in reasonable time, but still ranks PageRank', async () => {
    const small = new CentralityService(db, { gds: 'never', maxPathWork: 1000 });
    await expect(small.centrality('BETWEENNESS', { scope: 'ALL', first: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', name: 'AnalyticsTooLargeError' });
    await expect(small.centrality('CLOSENESS', { scope: 'ALL', first: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await small.centrality('PAGERANK', { scope: 'ALL', first: 3 })).toHaveLength(3);
  });
});

describe('input', () => {
  it('refuses unknown metrics, scopes, bad hashtags and bad `first` with BAD_USER_INPUT', async () => {
    await expect(gds.centrality('FAME' as CentralityMetric, { scope: 'ALL', first: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(gds.centrality('DEGREE', { hashtag: 'databs', scope: 'EVERYTHING' as Scope, first: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(gds.centrality('DEGREE', { hashtag: 'not a tag', scope: 'ALL', first: 3 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(gds.centrality('DEGREE', { hashtag: 'databs', scope: 'ALL', first: -1 })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(gds.communities('')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('answers an unknown hashtag with nothing, on both engines', async () => {
    for (const service of [gds, graphology]) {
      expect(await service.centrality('PAGERANK', { hashtag: 'nosuchtag', scope: 'ALL', first: 10 })).toEqual([]);
      expect(await service.communities('nosuchtag')).toEqual([]);
    }
  });
});
