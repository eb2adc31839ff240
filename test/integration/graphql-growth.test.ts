/**
 * growth(hashtag, interval) over real HTTP against real Neo4j: a random community whose memberships
 * and follow records carry dates (some missing, some malformed, as other software writes them),
 * compared with a brute-force count written apart from src/core/time-buckets.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { mulberry32 } from '../../devnet/index.js';
import { graphql } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;

interface Member {
  did: string;
  firstAt: string | null;
}
interface Follow {
  a: string;
  b: string;
  createdAt: string | null;
}

const rng = mulberry32(42);
const DAY_MS = 86_400_000;
const T0 = Date.UTC(2025, 10, 20); // a Thursday, so weeks and months straddle it

/** A timestamp in the 120 days after T0, or what careless writers leave behind. */
function stamp(): string | null {
  const r = rng();
  if (r < 0.08) return null;
  if (r < 0.1) return 'not a date';
  if (r < 0.11) return '2026-02-30T10:00:00.000Z'; // no such day
  return new Date(T0 + Math.floor(rng() * 120 * DAY_MS)).toISOString();
}

const members: Member[] = Array.from({ length: 80 }, (_, i) => ({ did: `did:plc:growth${String(i).padStart(3, '0')}`, firstAt: stamp() }));
const outsiders = Array.from({ length: 20 }, (_, i) => `did:plc:outside${i}`);
const follows: Follow[] = [];
for (const m of members) {
  for (const t of [...members.map((x) => x.did), ...outsiders]) {
    if (t !== m.did && rng() < 0.15) follows.push({ a: m.did, b: t, createdAt: stamp() });
  }
}

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  await db.write(`MERGE (h:Hashtag {name: 'growthtag'}) WITH h UNWIND $members AS m CREATE (a:Actor {did: m.did, handle: m.did})-[:POSTED_WITH {firstAt: m.firstAt, posts: 1}]->(h)`, { members });
  await db.write(`UNWIND $dids AS d CREATE (:Actor {did: d, handle: d})`, { dids: outsiders });
  await db.write(`UNWIND $follows AS f MATCH (a:Actor {did: f.a}), (b:Actor {did: f.b}) CREATE (a)-[:FOLLOWS {createdAt: f.createdAt}]->(b)`, { follows });
  server = await startTestServer({ db });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

/** Brute force: walk back day by day to the bucket's first day. */
function bucketOf(iso: string | null, interval: 'DAY' | 'WEEK' | 'MONTH'): string | null {
  if (iso === null || !/^\d{4}-\d{2}-\d{2}T/.test(iso)) return null;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== iso.slice(0, 10)) return null;
  let day = new Date(Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))));
  const first = (d: Date) => (interval === 'DAY' ? true : interval === 'WEEK' ? d.getUTCDay() === 1 : d.getUTCDate() === 1);
  while (!first(day)) day = new Date(day.getTime() - DAY_MS);
  return day.toISOString().slice(0, 10);
}

function expected(interval: 'DAY' | 'WEEK' | 'MONTH') {
  const memberSet = new Set(members.map((m) => m.did));
  const among = follows.filter((f) => memberSet.has(f.b));
  const starts = new Set<string>();
  for (const m of members) if (bucketOf(m.firstAt, interval)) starts.add(bucketOf(m.firstAt, interval)!);
  for (const f of among) if (bucketOf(f.createdAt, interval)) starts.add(bucketOf(f.createdAt, interval)!);
  const buckets = [...starts].sort().map((start) => {
    const newMembers = members.filter((m) => bucketOf(m.firstAt, interval) === start).length;
    const newFollows = among.filter((f) => bucketOf(f.createdAt, interval) === start).length;
    const membersToDate = members.filter((m) => bucketOf(m.firstAt, interval) !== null && bucketOf(m.firstAt, interval)! <= start).length;
    const followsToDate = among.filter((f) => bucketOf(f.createdAt, interval) !== null && bucketOf(f.createdAt, interval)! <= start).length;
    return { start, newMembers, members: membersToDate, newFollows, follows: followsToDate };
  });
  return {
    buckets,
    undatedMembers: members.filter((m) => bucketOf(m.firstAt, interval) === null).length,
    undatedFollows: among.filter((f) => bucketOf(f.createdAt, interval) === null).length,
  };
}

const QUERY = `query($h: String!, $i: Interval!) {
  growth(hashtag: $h, interval: $i) { start newMembers members newFollows follows }
  growthCoverage(hashtag: $h) { hashtag datedMembers undatedMembers datedFollows undatedFollows graphVersion }
}`;

describe('growth', () => {
  it.each(['DAY', 'WEEK', 'MONTH'] as const)('%s buckets equal a brute-force count, undated records reported apart', async (interval) => {
    const r = await graphql(server.url, QUERY, { h: '#GrowthTag', i: interval });
    expect(r.errors).toBeUndefined();
    const want = expected(interval);
    expect(r.data!.growth).toEqual(want.buckets);
    const coverage = r.data!.growthCoverage;
    expect(coverage).toEqual({
      hashtag: 'growthtag',
      datedMembers: members.length - want.undatedMembers,
      undatedMembers: want.undatedMembers,
      datedFollows: want.buckets.at(-1)!.follows,
      undatedFollows: want.undatedFollows,
      graphVersion: expect.stringMatching(/\S/),
    });
    // The fixture must exercise what it claims: several buckets, undated and malformed records.
    expect(want.buckets.length).toBeGreaterThan(interval === 'MONTH' ? 3 : 10);
    expect(want.undatedFollows).toBeGreaterThan(0);
    expect(want.undatedMembers).toBeGreaterThan(0);
    expect(want.buckets.at(-1)!.members + want.undatedMembers).toBe(members.length);
  });

  it('weeks start on Monday; the interval is required', async () => {
    const r = await graphql(server.url, `{ growth(hashtag: "growthtag", interval: WEEK) { start } }`);
    expect(r.errors).toBeUndefined();
    for (const b of r.data!.growth as Array<{ start: string }>) expect(new Date(`${b.start}T00:00:00Z`).getUTCDay()).toBe(1);
    const missing = await graphql(server.url, `{ growth(hashtag: "growthtag") { start } }`);
    expect(missing.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('an unknown hashtag is NOT_FOUND, a bad one BAD_USER_INPUT, an unknown interval a validation error', async () => {
    const unknown = await graphql(server.url, QUERY, { h: 'nosuchtag', i: 'DAY' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bad = await graphql(server.url, QUERY, { h: 'no spaces allowed', i: 'DAY' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const interval = await graphql(server.url, QUERY, { h: 'growthtag', i: 'YEAR' });
    expect(interval.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('communityGraph(asOf)', () => {
  const dated = (v: string | null) => v !== null && /^\d{4}-\d{2}-\d{2}T/.test(v);
  const GRAPH = `query($h: String!, $at: String, $undated: Boolean) { communityGraph(hashtag: $h, asOf: $at, includeUndated: $undated) { nodes { did } edges { source target } } }`;

  it.each([20, 60, 119])('is the graph as it stood %i days in: members by first post, follows by record date', async (days) => {
    const at = new Date(T0 + days * DAY_MS).toISOString();
    for (const undated of [false, true]) {
      const r = await graphql(server.url, GRAPH, { h: 'growthtag', at, undated });
      expect(r.errors).toBeUndefined();
      const then = new Set(members.filter((m) => dated(m.firstAt) && m.firstAt! <= at).map((m) => m.did));
      const edges = follows.filter((f) => then.has(f.a) && then.has(f.b) && ((dated(f.createdAt) && f.createdAt! <= at) || (undated && !dated(f.createdAt))));
      expect(r.data!.communityGraph.nodes.map((n: { did: string }) => n.did).sort()).toEqual([...then].sort());
      expect(r.data!.communityGraph.edges.map((e: { source: string; target: string }) => `${e.source} ${e.target}`).sort()).toEqual(edges.map((f) => `${f.a} ${f.b}`).sort());
      expect(then.size).toBeGreaterThan(0);
      expect(then.size).toBeLessThan(members.length);
    }
  });

  it('refuses a malformed instant; without asOf it is today’s graph', async () => {
    const bad = await graphql(server.url, GRAPH, { h: 'growthtag', at: 'yesterday' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_DATE' });
    const now = await graphql(server.url, GRAPH, { h: 'growthtag' });
    expect(now.data!.communityGraph.nodes).toHaveLength(members.length);
  });
});
