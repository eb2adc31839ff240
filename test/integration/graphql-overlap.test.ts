/**
 * hashtagOverlap(a, b) over real HTTP against real Neo4j, on two random communities that share
 * part of their members, compared with a count made in memory from the same fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { mulberry32 } from '../../devnet/index.js';
import { graphql } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;
const rng = mulberry32(9);

const actors = Array.from({ length: 120 }, (_, i) => ({ did: `did:plc:ovl${String(i).padStart(21, '0')}`, handle: `a${i}.test`, followersCount: Math.floor(rng() * 1000) }));
// Tags: 0..59 alpha, 40..99 beta (40..59 both), 100..119 neither.
const alpha = new Set(actors.slice(0, 60).map((a) => a.did));
const beta = new Set(actors.slice(40, 100).map((a) => a.did));
const follows: Array<[string, string]> = [];
for (const s of actors) for (const t of actors) if (s !== t && rng() < 0.05) follows.push([s.did, t.did]);

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  await db.write(`UNWIND $actors AS a CREATE (:Actor {did: a.did, handle: a.handle, followersCount: toInteger(a.followersCount)})`, { actors });
  const memberships = [...[...alpha].map((did) => ({ did, tag: 'alpha' })), ...[...beta].map((did) => ({ did, tag: 'beta' })), { did: actors[110]!.did, tag: 'lonely' }];
  await db.write(`UNWIND $m AS m MERGE (h:Hashtag {name: m.tag}) WITH h, m MATCH (a:Actor {did: m.did}) CREATE (a)-[:POSTED_WITH {posts: 1}]->(h)`, { m: memberships });
  await db.write(`UNWIND $f AS f MATCH (a:Actor {did: f[0]}), (b:Actor {did: f[1]}) CREATE (a)-[:FOLLOWS]->(b)`, { f: follows });
  server = await startTestServer({ db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const QUERY = `query($a: String!, $b: String!, $first: Int) {
  hashtagOverlap(a: $a, b: $b, first: $first) { a b membersA membersB sharedMembers jaccard followsAToB followsBToA sharedSample { did handle } }
}`;

describe('hashtagOverlap', () => {
  it('counts shared members, follows across and Jaccard as an in-memory count does', async () => {
    const r = await graphql(server.url, QUERY, { a: '#Alpha', b: 'beta', first: 5 });
    expect(r.errors).toBeUndefined();
    const shared = actors.filter((a) => alpha.has(a.did) && beta.has(a.did));
    const sample = [...shared].sort((x, y) => y.followersCount - x.followersCount || (x.did < y.did ? -1 : 1)).slice(0, 5);
    expect(r.data!.hashtagOverlap).toEqual({
      a: 'alpha',
      b: 'beta',
      membersA: 60,
      membersB: 60,
      sharedMembers: 20,
      jaccard: 20 / 100,
      followsAToB: follows.filter(([s, t]) => alpha.has(s) && beta.has(t)).length,
      followsBToA: follows.filter(([s, t]) => beta.has(s) && alpha.has(t)).length,
      sharedSample: sample.map((a) => ({ did: a.did, handle: a.handle })),
    });
    expect(r.data!.hashtagOverlap.followsAToB).toBeGreaterThan(0);
  });

  it('two communities with nobody in common: Jaccard 0; a hashtag with itself: 1', async () => {
    const apart = await graphql(server.url, QUERY, { a: 'alpha', b: 'lonely', first: 0 });
    expect(apart.data!.hashtagOverlap).toMatchObject({ sharedMembers: 0, jaccard: 0, sharedSample: [] });
    const self = await graphql(server.url, QUERY, { a: 'beta', b: 'beta' });
    expect(self.data!.hashtagOverlap).toMatchObject({ sharedMembers: 60, jaccard: 1 });
    expect(self.data!.hashtagOverlap.sharedSample).toHaveLength(10);
  });

  it('names the hashtag it does not know, and refuses bad arguments', async () => {
    const unknown = await graphql(server.url, QUERY, { a: 'alpha', b: 'nosuch' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(unknown.errors?.[0]?.message).toMatch(/#nosuch/);
    const bad = await graphql(server.url, QUERY, { a: 'alpha', b: 'beta', first: 1000 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
