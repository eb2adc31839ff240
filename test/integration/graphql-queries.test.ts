/**
 * Every query of the API over real HTTP against real Neo4j, compared with an independent in-memory
 * computation on the fixture the test loaded (test/support/graphql-model.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { graphql } from '../support/graphql-client.js';
import { buildApiFixture, ISOLATED, STALE } from '../support/graphql-fixture.js';
import { cmp, GraphModel, type Direction, type Order } from '../support/graphql-model.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph, type GraphFixture } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;
let fixture: GraphFixture;
let model: GraphModel;
let members: string[];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildApiFixture();
  await loadGraph(db, fixture);
  model = new GraphModel(fixture);
  members = [...model.members('databs')].sort(cmp);
  server = await startTestServer({ db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const CONNECTION = 'totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { did } } nodes { did }';

interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  edges: Array<{ cursor: string; node: { did: string } }>;
  nodes: Array<{ did: string }>;
}

/** Walks every page; checks page-level invariants on the way; returns DIDs in order. */
async function allPages(query: string, variables: Record<string, unknown>, pick: (data: any) => Connection, first: number) {
  const dids: string[] = [];
  let after: string | null = null;
  let totalCount: number;
  let pages = 0;
  for (;;) {
    const r = await graphql(server.url, query, { ...variables, first, after });
    expect(r.errors).toBeUndefined();
    const c = pick(r.data);
    pages++;
    expect(c.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(c.nodes.map((n) => n.did)).toEqual(c.edges.map((e) => e.node.did));
    expect(c.pageInfo.startCursor).toBe(c.edges[0]?.cursor ?? null);
    expect(c.pageInfo.endCursor).toBe(c.edges.at(-1)?.cursor ?? null);
    dids.push(...c.edges.map((e) => e.node.did));
    totalCount = c.totalCount;
    if (!c.pageInfo.hasNextPage) break;
    expect(c.edges).toHaveLength(first);
    after = c.pageInfo.endCursor;
    if (pages > 500) throw new Error('pagination does not end');
  }
  expect(new Set(dids).size).toBe(dids.length);
  return { dids, totalCount, pages };
}

describe('actor', () => {
  const ACTOR = `query($id: String!) { actor(handleOrDid: $id) {
    did handle displayName description avatar postsCount followersCount followsCount createdAt pagerank community hashtags profileUrl } }`;

  it('finds an actor by DID, by handle, by @Handle in any case, with every stored field', async () => {
    for (const a of fixture.actors.slice(0, 12)) {
      if (a.did === STALE) continue;
      const expected = {
        did: a.did,
        handle: a.handle,
        displayName: a.displayName ?? null,
        description: a.description ?? null,
        avatar: a.avatar ?? null,
        postsCount: a.postsCount ?? null,
        followersCount: a.followersCount ?? null,
        followsCount: a.followsCount ?? null,
        createdAt: a.createdAt ?? null,
        pagerank: a.pagerank ?? null,
        community: a.community ?? null,
        hashtags: model.hashtagsOf(a.did),
        profileUrl: `https://bsky.app/profile/${a.handle}`,
      };
      for (const id of [a.did, a.handle, `@${a.handle.toUpperCase()}`]) {
        const r = await graphql(server.url, ACTOR, { id });
        expect(r.errors).toBeUndefined();
        expect(r.data!.actor).toEqual(expected);
      }
    }
  });

  it('answers null for an actor not in the graph', async () => {
    for (const id of ['nobody.devnet.test', 'did:plc:doesnotexist000000000000']) {
      const r = await graphql(server.url, ACTOR, { id });
      expect(r.errors).toBeUndefined();
      expect(r.data!.actor).toBeNull();
    }
  });

  it('gives a handle held by two nodes to the most recently fetched profile', async () => {
    const owner = fixture.actors[0]!;
    expect(fixture.actors.find((a) => a.did === STALE)!.handle).toBe(owner.handle);
    const r = await graphql(server.url, ACTOR, { id: owner.handle });
    expect(r.data!.actor.did).toBe(owner.did);
    const stale = await graphql(server.url, ACTOR, { id: STALE });
    expect(stale.data!.actor.displayName).toBe('Old owner');
  });
});

describe('actors', () => {
  const ACTORS = `query($tag: String, $search: String, $order: ActorOrder, $first: Int, $after: String) {
    actors(hashtag: $tag, search: $search, orderBy: $order, first: $first, after: $after) { ${CONNECTION} } }`;

  const cases: Array<{ order: Order; tag?: string; search?: string; first: number }> = [
    { order: 'FOLLOWERS', first: 7 },
    { order: 'FOLLOWERS', tag: 'databs', first: 9 },
    { order: 'PAGERANK', first: 13 },
    { order: 'PAGERANK', tag: 'rustlang', first: 4 },
    { order: 'HANDLE', first: 50 },
    { order: 'HANDLE', tag: 'databs', first: 1 },
    { order: 'HANDLE', search: 'chloe', first: 2 },
    { order: 'FOLLOWERS', tag: 'databs', search: 'EMEKA', first: 1 },
    { order: 'HANDLE', search: 'Nobody Follows', first: 3 },
  ];

  it.each(cases)('pages through %o exactly as the model orders them, without duplicates', async ({ order, tag, search, first }) => {
    const expected = model.list(order, tag, search);
    expect(expected.length).toBeGreaterThan(0);
    const { dids, totalCount, pages } = await allPages(ACTORS, { order, tag, search }, (d) => d.actors, first);
    expect(dids).toEqual(expected);
    expect(totalCount).toBe(expected.length);
    expect(pages).toBe(Math.max(1, Math.ceil(expected.length / first)));
  });

  it('defaults to 20 by follower count and finds nothing for an unknown hashtag', async () => {
    const r = await graphql(server.url, `{ actors { totalCount nodes { did } } }`);
    expect(r.data!.actors.nodes.map((n: { did: string }) => n.did)).toEqual(model.list('FOLLOWERS').slice(0, 20));
    const none = await graphql(server.url, `{ actors(hashtag: "#NeverIngested") { totalCount nodes { did } pageInfo { hasNextPage endCursor } } }`);
    expect(none.data!.actors).toEqual({ totalCount: 0, nodes: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('treats the hashtag argument like a tag: # and case do not matter', async () => {
    const r = await graphql(server.url, `{ actors(hashtag: "#DataBS", first: 1000) { totalCount } }`);
    expect(r.data!.actors.totalCount).toBe(model.members('databs').size);
  });
});

describe('follows, followers, mutuals of an actor', () => {
  const LIST = (field: string) => `query($id: String!, $tag: String, $first: Int, $after: String) {
    actor(handleOrDid: $id) { ${field}(hashtag: $tag, first: $first, after: $after) { ${CONNECTION} } } }`;

  it('lists each exactly as the model does, with and without a hashtag filter', async () => {
    const sample = [...members.slice(0, 6), fixture.actors[70]!.did, fixture.actors[62]!.did];
    for (const did of sample) {
      for (const tag of [undefined, 'databs', 'rustlang']) {
        for (const [field, expected] of [
          ['follows', model.follows(did, tag)],
          ['followers', model.followers(did, tag)],
          ['mutuals', model.mutuals(did, tag)],
        ] as const) {
          const got = await allPages(LIST(field), { id: did, tag }, (d) => d.actor[field], 11);
          expect({ did, tag, field, dids: got.dids }).toEqual({ did, tag, field, dids: expected });
          expect(got.totalCount).toBe(expected.length);
        }
      }
    }
  });

  it('counts edges in the graph per actor, for a whole page, equal to the model', async () => {
    const r = await graphql(
      server.url,
      `{ actors(hashtag: "databs", first: 60, orderBy: HANDLE) { nodes { did
          followerCountInGraph followCountInGraph mutualCountInGraph
          inTag: followerCountInGraph(hashtag: "#DATABS") outTag: followCountInGraph(hashtag: "databs")
          mutualTag: mutualCountInGraph(hashtag: "rustlang") } } }`,
    );
    expect(r.errors).toBeUndefined();
    for (const n of r.data!.actors.nodes) {
      expect(n).toEqual({
        did: n.did,
        followerCountInGraph: model.followers(n.did).length,
        followCountInGraph: model.follows(n.did).length,
        mutualCountInGraph: model.mutuals(n.did).length,
        inTag: model.followers(n.did, 'databs').length,
        outTag: model.follows(n.did, 'databs').length,
        mutualTag: model.mutuals(n.did, 'rustlang').length,
      });
    }
  });
});

describe('mutualFollows and commonFollows', () => {
  it('mutualFollows pages the model’s mutuals', async () => {
    const q = `query($a: String!, $tag: String, $first: Int, $after: String) { mutualFollows(actor: $a, hashtag: $tag, first: $first, after: $after) { ${CONNECTION} } }`;
    let nonEmpty = 0;
    for (const did of members.slice(0, 10)) {
      for (const tag of [undefined, 'rustlang']) {
        const expected = model.mutuals(did, tag);
        if (expected.length) nonEmpty++;
        const got = await allPages(q, { a: did, tag }, (d) => d.mutualFollows, 3);
        expect(got.dids).toEqual(expected);
        expect(got.totalCount).toBe(expected.length);
      }
    }
    expect(nonEmpty).toBeGreaterThan(5);
  });

  it('commonFollows pages the intersection of two follow sets (a = b: all follows)', async () => {
    const q = `query($a: String!, $b: String!, $first: Int, $after: String) { commonFollows(a: $a, b: $b, first: $first, after: $after) { ${CONNECTION} } }`;
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < 8; i++) pairs.push([members[i]!, members[(i * 7 + 3) % members.length]!]);
    pairs.push([members[0]!, members[0]!], [members[1]!, ISOLATED]);
    let nonEmpty = 0;
    for (const [a, b] of pairs) {
      const expected = model.commonFollows(a, b);
      if (expected.length) nonEmpty++;
      const handleA = model.actors.get(a)!.handle;
      const got = await allPages(q, { a: handleA, b }, (d) => d.commonFollows, 4);
      expect(got.dids).toEqual(expected);
      expect(got.totalCount).toBe(expected.length);
    }
    expect(nonEmpty).toBeGreaterThan(4);
  });
});

describe('relationship', () => {
  it('matches the model for follows both ways and BFS distances (directed, undirected, none, self)', async () => {
    const q = `query($a: String!, $b: String!) { relationship(a: $a, b: $b) {
      a { did } b { did } aFollowsB bFollowsA mutual shortestPathLength undirectedPathLength } }`;
    const outsider = fixture.actors[100]!.did;
    const pairs: Array<[string, string]> = [[members[0]!, members[0]!], [members[2]!, ISOLATED], [outsider, members[5]!], [members[5]!, outsider]];
    for (let i = 0; i < 20; i++) pairs.push([members[(i * 11) % 60]!, fixture.actors[(i * 17 + 5) % 180]!.did]);
    const withMutual = members.find((m) => model.mutuals(m).length > 0)!;
    pairs.push([withMutual, model.mutuals(withMutual)[0]!]);
    const seen = { mutual: 0, oneWay: 0, unreachable: 0, far: 0 };
    for (const [a, b] of pairs) {
      const r = await graphql(server.url, q, { a, b });
      expect(r.errors).toBeUndefined();
      const aFollowsB = model.follow(a, b);
      const bFollowsA = model.follow(b, a);
      const directed = a === b ? 0 : model.distance(a, b, true);
      const undirected = a === b ? 0 : model.distance(a, b, false);
      expect(r.data!.relationship).toEqual({
        a: { did: a },
        b: { did: b },
        aFollowsB,
        bFollowsA,
        mutual: aFollowsB && bFollowsA,
        shortestPathLength: directed,
        undirectedPathLength: undirected,
      });
      if (aFollowsB && bFollowsA) seen.mutual++;
      if (aFollowsB !== bFollowsA) seen.oneWay++;
      if (directed === null) seen.unreachable++;
      if ((directed ?? 0) > 1) seen.far++;
    }
    // The sample covers each kind of answer.
    expect(Object.values(seen).every((n) => n > 0)).toBe(true);
  });
});

describe('neighbourhood', () => {
  const q = `query($a: String!, $depth: Int, $dir: Direction, $tag: String, $limit: Int) {
    neighbourhood(actor: $a, depth: $depth, direction: $dir, hashtag: $tag, limit: $limit) {
      truncated nodes { did } edges { source target } } }`;

  const centres = () => [members[3]!, members[40]!, fixture.actors[99]!.did, ISOLATED];

  it('returns the induced subgraph the model computes, for every depth, direction and hashtag', async () => {
    let compared = 0;
    for (const centre of centres()) {
      for (const depth of [1, 2, 3]) {
        for (const dir of ['OUT', 'IN', 'BOTH'] as Direction[]) {
          for (const tag of [undefined, 'rustlang']) {
            const expected = model.neighbourhood(centre, depth, dir, tag, 5000);
            const r = await graphql(server.url, q, { a: centre, depth, dir, tag, limit: 5000 });
            expect(r.errors).toBeUndefined();
            const got = r.data!.neighbourhood;
            expect(got.nodes.map((n: { did: string }) => n.did)).toEqual(expected.dids);
            expect(got.edges.map((e: { source: string; target: string }) => `${e.source} ${e.target}`).sort()).toEqual(expected.edges);
            expect(got.truncated).toBe(false);
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(72);
  });

  it('keeps nearer actors first and says truncated when the limit cuts', async () => {
    const centre = members[3]!;
    const full = model.neighbourhood(centre, 2, 'BOTH', undefined, 5000);
    const level1 = full.levels[1]!.length;
    for (const limit of [1, 2, level1, level1 + 1, level1 + 7, full.dids.length - 1, full.dids.length]) {
      const expected = model.neighbourhood(centre, 2, 'BOTH', undefined, limit);
      const r = await graphql(server.url, q, { a: model.actors.get(centre)!.handle, depth: 2, dir: 'BOTH', limit });
      const got = r.data!.neighbourhood;
      expect(got.nodes.map((n: { did: string }) => n.did)).toEqual(expected.dids);
      expect(got.truncated).toBe(limit < full.dids.length);
      expect(got.edges.map((e: { source: string; target: string }) => `${e.source} ${e.target}`).sort()).toEqual(expected.edges);
    }
  });

  it('defaults to depth 1, both directions, 500 actors', async () => {
    const centre = members[7]!;
    const expected = model.neighbourhood(centre, 1, 'BOTH', undefined, 500);
    const r = await graphql(server.url, `query($a: String!) { neighbourhood(actor: $a) { truncated nodes { did } } }`, { a: centre });
    expect(r.data!.neighbourhood.nodes.map((n: { did: string }) => n.did)).toEqual(expected.dids);
  });
});

describe('hashtags', () => {
  it('reports members, follows among members, and the ALL scope for each hashtag', async () => {
    const r = await graphql(server.url, `{ hashtags { name members follows actors outgoingFollows lastIngestAt } }`);
    expect(r.errors).toBeUndefined();
    const expected = model
      .hashtags()
      .map((name) => {
        const m = model.members(name);
        const out = fixture.follows.filter(([s]) => m.has(s));
        return {
          name,
          members: m.size,
          follows: out.filter(([, t]) => m.has(t)).length,
          actors: new Set([...m, ...out.map(([, t]) => t)]).size,
          outgoingFollows: out.length,
          lastIngestAt: null,
        };
      })
      .sort((a, b) => b.members - a.members || cmp(a.name, b.name));
    expect(r.data!.hashtags).toEqual(expected);
  });
});

describe('batching (no N+1)', () => {
  // These count Cypher queries, so this server has no read model: every read goes to Neo4j.
  let cypherOnly: TestServer;
  beforeAll(async () => {
    cypherOnly = await startTestServer({ db, env: { READ_MODEL: 'false' } });
  });
  afterAll(async () => {
    await cypherOnly.close();
  });

  it('a page of 50 actors with profile and in-graph follower counts costs at most 3 queries', async () => {
    const before = db.queryCount;
    const r = await graphql(
      cypherOnly.url,
      `{ actors(first: 50, orderBy: HANDLE) { edges { cursor node { did handle followersCount followsCount postsCount hashtags followerCountInGraph(hashtag: "databs") } } } }`,
    );
    const used = db.queryCount - before;
    expect(r.errors).toBeUndefined();
    expect(r.data!.actors.edges).toHaveLength(50);
    expect(used).toBeLessThanOrEqual(3);
  });

  const cost = async (first: number, nested: string, url = cypherOnly.url) => {
    const before = db.queryCount;
    const r = await graphql(url, `query($first: Int) { actors(hashtag: "databs", first: $first) { totalCount nodes { did ${nested} } } }`, { first });
    expect(r.errors).toBeUndefined();
    expect(r.data!.actors.nodes).toHaveLength(first);
    return db.queryCount - before;
  };

  it('a nested follow list costs the same number of queries for 5 actors as for 50', async () => {
    // skeleton, hydration, totalCount; then for all nested lists together: pages, counts, hydration.
    const nested = 'follows(first: 5) { totalCount nodes { handle followersCount } }';
    const small = await cost(5, nested);
    const large = await cost(50, nested);
    expect(large).toBe(small);
    expect(large).toBe(6);
  });

  it('two sibling nested lists stay within a constant bound whatever the page size', async () => {
    // Each list's pages and counts are one query each; their hydrations merge into one batch
    // when both pages arrive in the same tick, else two: 8 or 9, never per actor.
    const nested = 'follows(first: 5) { totalCount nodes { handle } } followers(first: 5, hashtag: "databs") { totalCount nodes { handle } }';
    for (const first of [5, 50]) expect(await cost(first, nested)).toBeLessThanOrEqual(9);
  });

  it('with the read model current, a nested page of 50 actors costs one query: the graph fingerprint', async () => {
    const nested = 'follows(first: 5) { totalCount nodes { handle followersCount } } followers(first: 5, hashtag: "databs") { totalCount nodes { handle } }';
    await cost(5, nested, server.url); // the first request after the fixture may still rebuild the model
    for (let tries = 0; tries < 100 && (await cost(50, nested, server.url)) !== 1; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(await cost(50, nested, server.url)).toBe(1);
  });
});

describe('HTTP', () => {
  it('answers queries over GET too, and refuses mutations over GET', async () => {
    const r = await graphql(server.url, `query($id: String!) { actor(handleOrDid: $id) { did } }`, { id: members[0] }, { method: 'GET' });
    expect(r.status).toBe(200);
    expect(r.data!.actor.did).toBe(members[0]);
    const m = await graphql(server.url, `mutation { cancelIngest(id: "x") { id } }`, undefined, { method: 'GET' });
    expect(m.status).toBe(405);
    expect(m.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reports Neo4j health at /healthz', async () => {
    const r = await fetch(`${server.url}/healthz`);
    expect(r.status).toBe(200);
    const body = (await r.json()) as { status: string; neo4j: { ok: boolean } };
    expect(body.status).toBe('ok');
    expect(body.neo4j.ok).toBe(true);
  });

  it('serves the Apollo Sandbox landing page to browsers in development', async () => {
    const r = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/text\/html/);
    expect(await r.text()).toMatch(/sandbox/i);
  });

  it('answers 404 in the GraphQL error shape for unknown paths', async () => {
    const r = await fetch(`${server.url}/no/such/thing`);
    expect(r.status).toBe(404);
    expect(((await r.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
  });
});
