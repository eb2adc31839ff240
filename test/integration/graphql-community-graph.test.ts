/** communityGraph over real HTTP against real Neo4j, compared with the fixture computed in memory. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { graphql } from '../support/graphql-client.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph, type GraphFixture } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;
let fixture: GraphFixture;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildApiFixture();
  await loadGraph(db, fixture);
  server = await startTestServer({ db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

const QUERY = `query($h: String!, $s: Scope, $l: Int) {
  communityGraph(hashtag: $h, scope: $s, limit: $l) { truncated nodes { did handle followersCount } edges { source target } }
}`;

interface Answer {
  truncated: boolean;
  nodes: Array<{ did: string }>;
  edges: Array<{ source: string; target: string }>;
}

async function ask(variables: Record<string, unknown>): Promise<Answer> {
  const r = await graphql(server.url, QUERY, variables);
  expect(r.errors).toBeUndefined();
  return (r.data as { communityGraph: Answer }).communityGraph;
}

function expected(scope: 'COMMUNITY' | 'ALL') {
  const members = new Set(fixture.memberships.filter((m) => m.hashtag === 'databs').map((m) => m.did));
  const fromMembers = fixture.follows.filter(([s]) => members.has(s));
  const nodes = new Set(members);
  if (scope === 'ALL') for (const [, t] of fromMembers) nodes.add(t);
  const edges = fromMembers.filter(([, t]) => nodes.has(t)).map(([s, t]) => `${s} ${t}`);
  return { nodes: [...nodes].sort(), edges: edges.sort() };
}

describe('communityGraph', () => {
  it.each(['COMMUNITY', 'ALL'] as const)('%s: the scope’s actors and the follows among them', async (scope) => {
    const answer = await ask({ h: '#DataBS', s: scope });
    const want = expected(scope);
    expect(answer.truncated).toBe(false);
    expect(answer.nodes.map((n) => n.did).sort()).toEqual(want.nodes);
    expect(answer.edges.map((e) => `${e.source} ${e.target}`).sort()).toEqual(want.edges);
    expect(want.edges.length).toBeGreaterThan(0);
  });

  it('cuts at limit and says so', async () => {
    const answer = await ask({ h: 'databs', s: 'COMMUNITY', l: 5 });
    expect(answer.truncated).toBe(true);
    expect(answer.nodes).toHaveLength(5);
    const kept = new Set(answer.nodes.map((n) => n.did));
    for (const e of answer.edges) expect(kept.has(e.source) && kept.has(e.target)).toBe(true);
  });

  it('an unknown hashtag is an empty graph; a bad one or a bad limit is BAD_USER_INPUT', async () => {
    expect(await ask({ h: 'neverheardof' })).toEqual({ truncated: false, nodes: [], edges: [] });
    for (const variables of [{ h: 'two words' }, { h: 'databs', l: 0 }, { h: 'databs', l: 1e9 }]) {
      const r = await graphql(server.url, QUERY, variables);
      expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });
});
