/**
 * `centrality` and `communities` through the real CentralityService (GDS when installed) over HTTP:
 * degree rankings equal counts on the in-memory model, every metric equals the service's own
 * answer hydrated, and communities partition the members. Queries write nothing; computeScores
 * (keyed) writes one hashtag's scores.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CentralityService } from '../../src/analytics/centrality-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { graphql } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { cmp, GraphModel } from '../support/graphql-model.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph, type GraphFixture } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';
import { snapshotProperties } from '../support/property-snapshot.js';

let db: GraphDatabase;
let server: TestServer;
let fixture: GraphFixture;
let model: GraphModel;
let centrality: CentralityService;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildApiFixture();
  await loadGraph(db, fixture);
  model = new GraphModel(fixture);
  centrality = new CentralityService(db);
  server = await startTestServer({ db, centrality });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const RANKED = `query($metric: CentralityMetric!, $tag: String, $scope: Scope, $first: Int) {
  centrality(metric: $metric, hashtag: $tag, scope: $scope, first: $first) { rank score actor { did handle } } }`;

/** Degrees in a hashtag's scope, ranked as the API promises: score desc, handle, DID. */
function degreeRanking(kind: 'IN_DEGREE' | 'OUT_DEGREE' | 'DEGREE', tag: string, scope: 'COMMUNITY' | 'ALL') {
  const members = model.members(tag);
  const edges = fixture.follows.filter(([s, t]) => members.has(s) && (scope === 'ALL' || members.has(t)));
  const nodes = new Set(scope === 'ALL' ? [...members, ...edges.map(([, t]) => t)] : members);
  const score = new Map([...nodes].map((d) => [d, 0]));
  for (const [s, t] of edges) {
    if (kind !== 'IN_DEGREE') score.set(s, score.get(s)! + 1);
    if (kind !== 'OUT_DEGREE') score.set(t, score.get(t)! + 1);
  }
  const handle = (d: string) => model.actors.get(d)!.handle;
  return [...score]
    .sort(([a, x], [b, y]) => y - x || cmp(handle(a), handle(b)) || cmp(a, b))
    .map(([did, s], i) => ({ rank: i + 1, score: s, actor: { did, handle: handle(did) } }));
}

describe('centrality', () => {
  it.each([
    ['IN_DEGREE', 'databs', 'COMMUNITY'],
    ['OUT_DEGREE', 'databs', 'COMMUNITY'],
    ['DEGREE', 'databs', 'ALL'],
    ['IN_DEGREE', 'rustlang', 'ALL'],
  ] as const)('%s of #%s (%s) equals the degrees counted on the model', async (metric, tag, scope) => {
    const expected = degreeRanking(metric, tag, scope).slice(0, 25);
    const r = await graphql(server.url, RANKED, { metric, tag: `#${tag.toUpperCase()}`, scope, first: 25 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.centrality).toEqual(expected);
  });

  it('without a hashtag ranks the whole graph', async () => {
    const out = new Map<string, number>();
    for (const [s] of fixture.follows) out.set(s, (out.get(s) ?? 0) + 1);
    const handle = (d: string) => model.actors.get(d)!.handle;
    const expected = [...model.actors.keys()]
      .map((did) => ({ did, score: out.get(did) ?? 0 }))
      .sort((a, b) => b.score - a.score || cmp(handle(a.did), handle(b.did)) || cmp(a.did, b.did))
      .slice(0, 15)
      .map((x, i) => ({ rank: i + 1, score: x.score, actor: { did: x.did, handle: handle(x.did) } }));
    const r = await graphql(server.url, RANKED, { metric: 'OUT_DEGREE', first: 15 });
    expect(r.data!.centrality).toEqual(expected);
  });

  it.each(['PAGERANK', 'BETWEENNESS', 'CLOSENESS'] as const)('%s is the service’s ranking, hydrated', async (metric) => {
    const direct = await centrality.centrality(metric, { hashtag: 'databs', scope: 'COMMUNITY', first: 30 });
    const r = await graphql(server.url, RANKED, { metric, tag: 'databs', first: 30 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.centrality).toEqual(direct.map((d) => ({ rank: d.rank, score: d.score, actor: { did: d.did, handle: model.actors.get(d.did)!.handle } })));
    expect(direct.length).toBe(30);
    for (const d of direct) expect(model.members('databs').has(d.did)).toBe(true);
  });

  it('defaults to COMMUNITY scope and 20 actors; hydrates all of them in one query', async () => {
    await graphql(server.url, RANKED, { metric: 'IN_DEGREE', tag: 'databs' }); // warm the service cache
    const before = db.queryCount;
    const r = await graphql(server.url, `{ centrality(metric: IN_DEGREE, hashtag: "databs") { rank actor { did followersCount hashtags } } }`);
    const used = db.queryCount - before;
    expect(r.data!.centrality.map((x: { actor: { did: string } }) => x.actor.did)).toEqual(degreeRanking('IN_DEGREE', 'databs', 'COMMUNITY').slice(0, 20).map((x) => x.actor.did));
    // The cached ranking still reads the graph version (1) — then one hydration.
    expect(used).toBeLessThanOrEqual(2);
  });
});

describe('communities', () => {
  it('partitions the members; top members are members of their community, by pagerank, hydrated', async () => {
    const scores = await graphql(server.url, `mutation { computeScores(hashtag: "databs") { hashtag actors communities } }`);
    expect(scores.errors).toBeUndefined();
    expect(scores.data!.computeScores).toMatchObject({ hashtag: 'databs', actors: model.members('databs').size });
    const r = await graphql(
      server.url,
      `{ communities(hashtag: "databs") { id size topMembers { did community(hashtag: "databs") pagerank(hashtag: "databs") hashtags } } }`,
    );
    expect(r.errors).toBeUndefined();
    const groups = r.data!.communities as Array<{ id: number; size: number; topMembers: Array<{ did: string; community: number; pagerank: number; hashtags: string[] }> }>;
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((n, g) => n + g.size, 0)).toBe(model.members('databs').size);
    expect(groups.map((g) => g.id)).toEqual(groups.map((_, i) => i));
    const direct = await centrality.communities('databs');
    expect(groups.map((g) => ({ id: g.id, size: g.size, top: g.topMembers.map((m) => m.did) }))).toEqual(
      direct.map((g) => ({ id: g.id, size: g.size, top: g.topMembers })),
    );
    for (const g of groups) {
      for (const m of g.topMembers) {
        expect(m.community).toBe(g.id); // written by computeScores, read through Actor.community(hashtag)
        expect(m.hashtags).toContain('databs');
      }
      const ranks = g.topMembers.map((m) => m.pagerank);
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
    }
  });

  it('refuses a bad hashtag before computing anything', async () => {
    const r = await graphql(server.url, `{ communities(hashtag: "no spaces allowed") { id } }`);
    expect(r.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('answers an empty list for a hashtag not in the graph', async () => {
    const r = await graphql(server.url, `{ communities(hashtag: "nosuchtag") { id } }`);
    expect(r.errors).toBeUndefined();
    expect(r.data!.communities).toEqual([]);
  });
});

describe('queries never write', () => {
  const BY_PAGERANK = `query($tag: String) { actors(hashtag: $tag, orderBy: PAGERANK, first: 1000) { nodes { did pagerank(hashtag: $tag) } } }`;

  it('centrality(PAGERANK) and communities over HTTP leave every node and relationship property unchanged', async () => {
    // Cold questions (a fresh server, so nothing is cached): each one computes.
    const fresh = new CentralityService(db);
    const cold = await startTestServer({ db, centrality: fresh });
    try {
      const before = await snapshotProperties(db);
      for (const [tag, scope] of [['databs', 'COMMUNITY'], ['databs', 'ALL'], ['rustlang', 'ALL'], [null, 'ALL']] as const) {
        const r = await graphql(cold.url, RANKED, { metric: 'PAGERANK', tag, scope, first: 5 });
        expect(r.errors).toBeUndefined();
      }
      for (const tag of ['databs', 'rustlang']) expect((await graphql(cold.url, `{ communities(hashtag: "${tag}") { id } }`)).errors).toBeUndefined();
      expect(fresh.algorithmRuns).toBeGreaterThanOrEqual(6);
      expect(await snapshotProperties(db)).toEqual(before);
    } finally {
      await cold.close();
    }
  });

  it('actors(orderBy: PAGERANK) keeps its order after an anonymous centrality query of another scope', async () => {
    expect((await graphql(server.url, `mutation { computeScores(hashtag: "rustlang") { actors } }`)).errors).toBeUndefined();
    const before = await graphql(server.url, BY_PAGERANK, { tag: 'rustlang' });
    const nodes = before.data!.actors.nodes as Array<{ did: string; pagerank: number | null }>;
    expect(nodes.length).toBe(model.members('rustlang').size);
    expect(nodes.every((n) => typeof n.pagerank === 'number')).toBe(true);
    expect(nodes.map((n) => n.pagerank)).toEqual(nodes.map((n) => n.pagerank).sort((a, b) => b! - a!));
    const unfiltered = await graphql(server.url, BY_PAGERANK, {});

    const fresh = new CentralityService(db);
    const other = await startTestServer({ db, centrality: fresh });
    try {
      for (const [tag, scope] of [['rustlang', 'ALL'], ['databs', 'COMMUNITY'], [null, 'ALL']] as const) {
        expect((await graphql(other.url, RANKED, { metric: 'PAGERANK', tag, scope, first: 5 })).errors).toBeUndefined();
      }
      expect((await graphql(other.url, `{ communities(hashtag: "rustlang") { id } }`)).errors).toBeUndefined();
    } finally {
      await other.close();
    }
    expect(await graphql(server.url, BY_PAGERANK, { tag: 'rustlang' })).toEqual(before);
    expect(await graphql(server.url, BY_PAGERANK, {})).toEqual(unfiltered);
  });
});

describe('computeScores', () => {
  const stored = (hashtag: string) =>
    db.read<{ did: string; pagerank: number | null; community: number | null }>(
      `MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag}) RETURN a.did AS did, p.pagerank AS pagerank, p.community AS community ORDER BY did`,
      { hashtag },
    );

  it('writes the scores of its hashtag only', async () => {
    await db.write(`MATCH ()-[p:POSTED_WITH]->() REMOVE p.pagerank, p.community`);
    const nodes = await db.read(`MATCH (a:Actor) RETURN a.did AS did, properties(a) AS props ORDER BY did`);
    const r = await graphql(server.url, `mutation { computeScores(hashtag: "#DataBS") { hashtag actors communities graphVersion engine computedAt } }`);
    expect(r.errors).toBeUndefined();
    // GDS where the server has it; the in-process engine on a server without plugins (Aura Free).
    const engine = (await db.hasProcedure('gds.pageRank.stream')) ? 'gds' : 'graphology';
    expect(r.data!.computeScores).toMatchObject({ hashtag: 'databs', actors: model.members('databs').size, engine });
    const ranking = new Map((await centrality.centrality('PAGERANK', { hashtag: 'databs', scope: 'COMMUNITY', first: 100_000 })).map((x) => [x.did, x.score]));
    for (const row of await stored('databs')) expect(row.pagerank).toBe(ranking.get(row.did));
    expect((await stored('rustlang')).every((row) => row.pagerank === null && row.community === null)).toBe(true);
    expect(await db.read(`MATCH (a:Actor) RETURN a.did AS did, properties(a) AS props ORDER BY did`)).toEqual(nodes);
  });

  it('answers NOT_FOUND for a hashtag not in the graph', async () => {
    const r = await graphql(server.url, `mutation { computeScores(hashtag: "nosuchtag") { actors } }`);
    expect(r.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it('needs the API key when one is configured', async () => {
    const KEY = 'scores-test-key-0123456789';
    const keyed = await startTestServer({ db, centrality, env: { API_KEY: KEY } });
    try {
      const before = await snapshotProperties(db);
      await db.write(`MATCH ()-[p:POSTED_WITH]->(:Hashtag {name: 'rustlang'}) REMOVE p.pagerank, p.community`);
      const cleared = await snapshotProperties(db);
      const anonymous = await graphql(keyed.url, `mutation { computeScores(hashtag: "rustlang") { actors } }`);
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      expect(await snapshotProperties(db)).toEqual(cleared);
      const wrong = await graphql(keyed.url, `mutation { computeScores(hashtag: "rustlang") { actors } }`, undefined, { apiKey: 'wrong' });
      expect(wrong.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      const ok = await graphql(keyed.url, `mutation { computeScores(hashtag: "rustlang") { actors } }`, undefined, { apiKey: KEY });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.computeScores.actors).toBe(model.members('rustlang').size);
      expect((await stored('rustlang')).every((row) => typeof row.pagerank === 'number')).toBe(true);
      expect(before.nodes).toBe(cleared.nodes);
    } finally {
      await keyed.close();
    }
  });
});
