/**
 * The read model answers exactly as the Cypher it stands in for: on random graphs in the real
 * Neo4j (self-follows, shared handles, actors without handles, two hashtags), every read the API
 * serves from the index is asked of both, with random arguments and by paging through cursors.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  actorsPage,
  commonFollowsPage,
  countActors,
  countCommonFollows,
  inGraphCounts,
  loadActors,
  neighbourPages,
  resolveActorRefs,
  type ActorListOrder,
  type Keyset,
  type Neighbours,
  type SkeletonPage,
} from '../../src/graph/actor-queries.js';
import { communityGraph } from '../../src/graph/community-graph-queries.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { readFollowGraphSnapshot } from '../../src/graph/follow-graph-snapshot.js';
import { bumpGraphVersion, readGraphFingerprint } from '../../src/graph/graph-version.js';
import { hashtagStats } from '../../src/graph/hashtag-queries.js';
import { neighbourhood, relationship, type Direction } from '../../src/graph/relationship-queries.js';
import { mulberry32 } from '../../src/random/mulberry32.js';
import { FollowIndex } from '../../src/read-model/follow-index.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import { loadGraph, type GraphFixture } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const TAGS = ['alpha', 'beta'];

function randomFixture(seed: number, actors: number, follows: number): GraphFixture {
  const random = mulberry32(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const list = Array.from({ length: actors }, (_, i) => {
    const did = `did:plc:${(1000 + pick(9000)).toString(36)}${i.toString(36).padStart(3, '0')}`;
    // Some share a handle (a moved handle), a few have none; mixed case never reaches the graph.
    const handle = i % 17 === 0 ? null : i % 23 === 0 ? `shared${i % 2}.test` : `${String.fromCharCode(97 + pick(26))}${pick(50)}.test`;
    return {
      did,
      handle: handle as string,
      displayName: random() < 0.5 ? `Name ${i}` : null,
      followersCount: random() < 0.7 ? pick(30) : null,
      pagerank: random() < 0.5 ? Math.round(random() * 100) / 100 : null,
      profileFetchedAt: random() < 0.6 ? `2025-0${1 + pick(9)}-01T00:00:00.000Z` : null,
    };
  });
  const memberships: GraphFixture['memberships'] = [];
  for (const a of list) {
    if (random() < 0.5) memberships.push({ did: a.did, hashtag: 'alpha', posts: 1 });
    if (random() < 0.3) memberships.push({ did: a.did, hashtag: 'beta', posts: 2 });
  }
  const edges = new Set<string>();
  // Skewed: a few popular targets, so pages, mutuals and common follows are long enough to cut.
  while (edges.size < follows) {
    const s = pick(actors);
    const t = random() < 0.3 ? pick(Math.ceil(actors / 10)) : pick(actors);
    edges.add(`${s} ${t}`);
  }
  for (let i = 0; i < actors; i += 29) edges.add(`${i} ${i}`); // self-follows
  const pairs = [...edges].map((e) => e.split(' ').map(Number) as [number, number]);
  return { actors: list, memberships, follows: pairs.map(([s, t]) => [list[s]!.did, list[t]!.did]) };
}

describe('read model agrees with Cypher', () => {
  let db: GraphDatabase;
  let fixture: GraphFixture;
  let index: FollowIndex;
  const random = mulberry32(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const dids = () => fixture.actors.map((a) => a.did);

  beforeAll(async () => {
    db = openTestDatabase();
    await resetGraph(db);
    fixture = randomFixture(42, 240, 3000);
    await loadGraph(db, fixture);
    // Two runs of alpha (the later success counts), a failed one of beta.
    await db.write(`
      CREATE (:IngestRun {id: 'r1', hashtag: 'alpha', status: 'SUCCEEDED', finishedAt: datetime('2025-03-01T10:00:00Z')}),
             (:IngestRun {id: 'r2', hashtag: 'alpha', status: 'SUCCEEDED', finishedAt: datetime('2025-04-01T10:00:00+02:00')}),
             (:IngestRun {id: 'r3', hashtag: 'beta', status: 'FAILED', finishedAt: datetime('2025-05-01T10:00:00Z')})`);
    await db.writeTx((tx) => bumpGraphVersion(tx));
    const snapshot = await readFollowGraphSnapshot(db);
    expect(snapshot).not.toBeNull();
    index = new FollowIndex(snapshot!);
    expect(index.version).toBe(await readGraphFingerprint(db));
  }, 120_000);

  afterAll(async () => {
    await db.close();
  });

  it('hydrates every actor as loadActors does, and resolves handles and DIDs alike', async () => {
    const fromCypher = await loadActors(db, dids());
    for (const did of dids()) expect(index.actor(did)).toEqual(fromCypher.get(did));
    const handles = [...new Set(fixture.actors.map((a) => a.handle).filter((h): h is string => h !== null)), 'nobody.test'];
    const refs = { dids: [...dids(), 'did:plc:unknown'], handles };
    const cypher = await resolveActorRefs(db, refs);
    const model = index.resolveRefs(refs);
    expect(model.dids).toEqual(cypher.dids);
    expect(model.handles).toEqual(cypher.handles);
  });

  it('pages follows, followers and mutuals identically, with and without a hashtag, through every cursor', async () => {
    for (let trial = 0; trial < 60; trial++) {
      const relation = pick<Neighbours>(['FOLLOWS', 'FOLLOWERS', 'MUTUALS']);
      const hashtag = pick([null, ...TAGS, 'missing']);
      const first = pick([1, 3, 10, 1000]);
      const did = trial < 5 ? fixture.actors[trial]!.did : pick(dids());
      let after: Keyset | null = null;
      for (let page = 0; page < 50; page++) {
        const cypher: SkeletonPage = (await neighbourPages(db, { relation, dids: [did], hashtag, first, after })).get(did)!;
        const model = index.neighbourPage(relation, did, hashtag, first, after);
        expect({ trial, page, model }).toEqual({ trial, page, model: cypher });
        if (!cypher.hasNextPage) break;
        after = cypher.items.at(-1)!;
      }
    }
  });

  it('lists actors identically in every order, filtered by hashtag and search, through every cursor', async () => {
    for (let trial = 0; trial < 30; trial++) {
      const order = pick<ActorListOrder>(['FOLLOWERS', 'HANDLE', 'PAGERANK']);
      const filter = { hashtag: pick([null, ...TAGS, 'missing']), search: pick([null, null, 'a', 'name 1', 'shared', '.test', 'zz']) };
      const first = pick([1, 7, 50]);
      expect(index.countActors(filter)).toBe(await countActors(db, filter));
      let after: Keyset | null = null;
      for (let page = 0; page < 300; page++) {
        const cypher: SkeletonPage = await actorsPage(db, { ...filter, order, first, after });
        expect({ trial, page, model: index.actorsPage({ ...filter, order, first, after }) }).toEqual({ trial, page, model: cypher });
        if (!cypher.hasNextPage) break;
        after = cypher.items.at(-1)!;
      }
    }
  });

  it('counts in-graph follows, followers and mutuals identically', async () => {
    for (const hashtag of [null, ...TAGS, 'missing']) {
      const cypher = await inGraphCounts(db, dids(), hashtag);
      for (const did of dids()) expect({ did, hashtag, counts: index.counts(did, hashtag) }).toEqual({ did, hashtag, counts: cypher.get(did) });
    }
  });

  it('pages and counts common follows identically', async () => {
    for (let trial = 0; trial < 40; trial++) {
      const a = pick(dids());
      const b = pick(dids());
      if (a === b) continue;
      expect(index.countCommonFollows(a, b)).toBe(await countCommonFollows(db, a, b));
      let after: Keyset | null = null;
      for (let page = 0; page < 20; page++) {
        const cypher: SkeletonPage = await commonFollowsPage(db, { a, b, first: 2, after });
        expect(index.commonFollowsPage(a, b, 2, after)).toEqual(cypher);
        if (!cypher.hasNextPage) break;
        after = cypher.items.at(-1)!;
      }
    }
  });

  it('walks neighbourhoods identically: depth, direction, hashtag and the cut at limit', async () => {
    for (let trial = 0; trial < 40; trial++) {
      const args = {
        center: pick(dids()),
        depth: pick([1, 2, 3]),
        direction: pick<Direction>(['OUT', 'IN', 'BOTH']),
        hashtag: pick([null, null, ...TAGS]),
        limit: pick([1, 5, 40, 500]),
      };
      expect({ args, answer: index.neighbourhood(args) }).toEqual({ args, answer: await neighbourhood(db, args) });
    }
  });

  it('answers relationships identically, self included', async () => {
    for (let trial = 0; trial < 40; trial++) {
      const a = pick(dids());
      const b = trial % 10 === 0 ? a : pick(dids());
      // The Cypher resolver path answers a = b separately; the index must agree with that answer.
      expect({ a, b, answer: index.relationship(a, b) }).toEqual({ a, b, answer: await relationship(db, a, b) });
    }
  });

  it('sizes every hashtag identically', async () => {
    const cypher = await hashtagStats(db);
    expect(index.hashtagStats()).toEqual(cypher);
  });

  it("builds the graph view's community graph identically (same actors in the same order, same edges)", async () => {
    for (const hashtag of [...TAGS, 'missing']) {
      for (const scope of ['COMMUNITY', 'ALL'] as const) {
        for (const limit of [10, 100, 20_000]) {
          const cypher = await communityGraph(db, { hashtag, scope, limit });
          const model = index.communityGraph({ hashtag, scope, limit });
          expect(model.dids).toEqual(cypher.dids);
          expect(model.truncated).toBe(cypher.truncated);
          expect(sortedEdges(model.edges)).toEqual(sortedEdges(cypher.edges));
        }
      }
    }
  });

  it('is never used for a graph that changed: the state has no index until a rebuild of the new graph', async () => {
    const model = new ReadModel(db, { enabled: true });
    await model.ready();
    const before = await model.state();
    expect(before.index).not.toBeNull();
    await db.write(`MATCH (a:Actor {did: $did}) SET a.handle = 'renamed.test'`, { did: fixture.actors[1]!.did });
    await db.writeTx((tx) => bumpGraphVersion(tx));
    const after = await model.state();
    expect(after.fingerprint).not.toBe(before.fingerprint);
    expect(after.index).toBeNull();
    await model.ready();
    const rebuilt = await model.state();
    expect(rebuilt.index?.actor(fixture.actors[1]!.did)?.handle).toBe('renamed.test');
    // A hand-made change that bumps no version still moves the fingerprint (the store's counts).
    await db.write(`CREATE (:Actor {did: 'did:plc:byhand'})`);
    expect((await model.state()).index).toBeNull();
    model.close();
  });
});

function sortedEdges(edges: ReadonlyArray<readonly [string, string]>): string[] {
  return edges.map(([s, t]) => `${s} ${t}`).sort();
}
