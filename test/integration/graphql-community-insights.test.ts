/**
 * Communities that mean something, over real HTTP against real Neo4j: a devnet community with
 * planted topical groups (a block model of follows, each group's own bios and co-used hashtags),
 * crawled through XRPC by the real ingest. Leiden and Louvain are scored by NMI against the planted
 * groups; names against each group's vocabulary; structure, bridges and suggestions against
 * brute-force computations written here, apart from src/analytics/.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { normalizedMutualInformation, startDevnet, type Devnet } from '../../devnet/index.js';
import { CentralityService } from '../../src/analytics/centrality-service.js';
import { CommunityInsights } from '../../src/analytics/community-insights.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { IngestService } from '../../src/ingest/ingest-service.js';
import { createLogger } from '../../src/logging/logger.js';
import { configFor } from '../support/devnet-ingest.js';
import { graphql } from '../support/graphql-client.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

const GROUPS = 5;
let db: GraphDatabase;
let devnet: Devnet;
let server: TestServer;
let edges: Array<[string, string]> = [];
let members: string[] = [];
const truth = new Map<string, number>();

type Algorithm = 'LOUVAIN' | 'LEIDEN';
interface CommunityAnswer {
  id: number;
  size: number;
  label: string | null;
  keywords: string[];
  memberDids: string[];
  representatives: Array<{ did: string }>;
  structure: { actors: number; follows: number; density: number; reciprocity: number; clustering: number; maxCore: number };
}

const COMMUNITIES = `query($h: String!, $a: CommunityAlgorithm) {
  communities(hashtag: $h, algorithm: $a) { id size label keywords memberDids representatives { did } structure { actors follows density reciprocity clustering maxCore } }
}`;

async function communities(algorithm: Algorithm): Promise<CommunityAnswer[]> {
  const r = await graphql(server.url, COMMUNITIES, { h: 'databs', a: algorithm });
  expect(r.errors).toBeUndefined();
  return r.data!.communities;
}

function assignmentOf(list: CommunityAnswer[]): Map<string, number> {
  return new Map(list.flatMap((c) => c.memberDids.map((did) => [did, c.id] as [string, number])));
}

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  // A small search cap: the crawl needs several `until` windows, which the completeness report shows.
  devnet = await startDevnet({ members: 240, seed: 11, groups: GROUPS, rateLimit: false, searchCap: 100 });
  const ingest = new IngestService({ db, config: configFor(devnet, { BSKY_CONCURRENCY: '8' }), logger: createLogger('warn') });
  const run = await ingest.run({ hashtag: 'databs' });
  await ingest.shutdown();
  expect(run.status).toBe('SUCCEEDED');
  const planted = devnet.community.planted!;
  devnet.community.actors.slice(0, devnet.community.memberCount).forEach((a, i) => truth.set(a.did, planted.groupOf[i]!));
  const rows = await db.read<{ s: string; t: string }>(
    `MATCH (a:Actor)-[:POSTED_WITH]->(h:Hashtag {name: 'databs'})<-[:POSTED_WITH]-(b:Actor), (a)-[:FOLLOWS]->(b) WHERE a <> b RETURN a.did AS s, b.did AS t`,
  );
  edges = rows.map((r) => [r.s, r.t]);
  members = (await db.read<{ did: string }>(`MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}) RETURN a.did AS did`)).map((r) => r.did);
  const centrality = new CentralityService(db);
  server = await startTestServer({ db, centrality, insights: new CommunityInsights(db, centrality) });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await devnet?.close();
  await db?.close();
});

describe('communities of a community with planted groups', () => {
  it('Louvain and Leiden recover the planted groups (NMI against the ground truth); every Leiden community is connected', async () => {
    for (const algorithm of ['LOUVAIN', 'LEIDEN'] as const) {
      const found = await communities(algorithm);
      const assignment = assignmentOf(found);
      expect([...assignment.keys()].sort()).toEqual([...members].sort());
      const nmi = normalizedMutualInformation(truth, assignment);
      process.stdout.write(`[insights] ${algorithm}: ${found.length} communities, NMI ${nmi.toFixed(4)} against ${GROUPS} planted groups\n`);
      expect(nmi).toBeGreaterThan(0.9);
      if (algorithm === 'LEIDEN') for (const c of found) expect(weaklyConnected(c.memberDids)).toBe(true);
    }
  }, 120_000);

  it("names each community with its planted group's vocabulary", async () => {
    const planted = devnet.community.planted!;
    for (const c of await communities('LOUVAIN')) {
      // The planted group most of this community's members belong to, and its words and tags.
      const votes = new Map<number, number>();
      for (const did of c.memberDids) votes.set(truth.get(did)!, (votes.get(truth.get(did)!) ?? 0) + 1);
      const group = [...votes].sort((a, b) => b[1] - a[1])[0]![0];
      const topic = planted.topics[group]!;
      const roleWords = topic.roles.flatMap((r) => r.toLowerCase().split(' '));
      const vocabulary = new Set([...topic.words.map((w) => w.toLowerCase()), ...topic.tags.map((t) => `#${t}`), ...roleWords]);
      process.stdout.write(`[insights] planted ${topic.name}: ${c.label} (${c.keywords.join(', ')})\n`);
      expect(c.keywords.length).toBe(5);
      expect(vocabulary.has(c.keywords[0]!)).toBe(true);
      expect(c.keywords.filter((k) => vocabulary.has(k)).length).toBeGreaterThanOrEqual(4);
      expect(c.label).toBe(c.keywords.slice(0, 3).join(' · '));
    }
  }, 60_000);

  it('structure and modularity equal a brute-force count over the same follows', async () => {
    const r = await graphql(server.url, `{ communityStats(hashtag: "databs") { modularity structure { actors follows density reciprocity clustering maxCore } inDegreeDistribution { min max actors } communities { id memberDids structure { actors follows density reciprocity clustering maxCore } } } }`);
    expect(r.errors).toBeUndefined();
    const stats = r.data!.communityStats;
    const assignment = new Map<string, number>(stats.communities.flatMap((c: CommunityAnswer) => c.memberDids.map((d) => [d, c.id])));
    expect(stats.modularity).toBeCloseTo(bruteModularity(assignment), 9);
    // Preferential attachment alone gives about 0.06 on this devnet; planted groups give clear structure.
    expect(stats.modularity).toBeGreaterThan(0.25);
    expect(stats.structure).toEqual(expectStructure(members));
    for (const c of stats.communities) expect(c.structure).toEqual(expectStructure(c.memberDids));
    // Core numbers per member (over the whole hashtag), aligned with memberDids.
    const cores = bruteCores(members);
    const listed = await communities('LOUVAIN');
    const r2 = await graphql(server.url, `{ communities(hashtag: "databs") { memberDids coreNumbers structure { inDegreeDistribution { min max actors } } } }`);
    for (const c of r2.data!.communities) {
      expect(c.coreNumbers).toEqual(c.memberDids.map((d: string) => cores.get(d)));
      // Followers inside the community, bucketed by powers of two.
      const inside = new Set<string>(c.memberDids);
      const within = new Map<string, number>(c.memberDids.map((d: string) => [d, 0]));
      for (const [s, t] of edges) if (inside.has(s) && inside.has(t)) within.set(t, within.get(t)! + 1);
      for (const b of c.structure.inDegreeDistribution) expect(b.actors).toBe([...within.values()].filter((f) => f >= b.min && f <= b.max).length);
      expect(c.structure.inDegreeDistribution.reduce((n: number, b: { actors: number }) => n + b.actors, 0)).toBe(c.memberDids.length);
    }
    expect(Math.max(...r2.data!.communities.flatMap((c: { coreNumbers: number[] }) => c.coreNumbers))).toBe(stats.structure.maxCore);
    expect(listed.length).toBe(stats.communities.length);
    const followers = new Map(members.map((d) => [d, 0]));
    for (const [, t] of edges) followers.set(t, followers.get(t)! + 1);
    const total = stats.inDegreeDistribution.reduce((n: number, b: { actors: number }) => n + b.actors, 0);
    expect(total).toBe(members.length);
    for (const b of stats.inDegreeDistribution) expect(b.actors).toBe([...followers.values()].filter((f) => f >= b.min && f <= b.max).length);
  }, 60_000);

  it('suggestFollows ranks by Adamic–Adar over the hashtag follows, as brute force does, with the reason', async () => {
    const someone = [...members].sort()[7]!;
    const r = await graphql(server.url, `query($a: String!) { suggestFollows(actor: $a, hashtag: "databs", first: 15) { actor { did } score followedByYourFollows via { did } } }`, { a: someone });
    expect(r.errors).toBeUndefined();
    const expected = bruteSuggestions(someone).slice(0, 15);
    const got = r.data!.suggestFollows;
    expect(got.map((s: { actor: { did: string } }) => s.actor.did)).toEqual(expected.map((e) => e.did));
    got.forEach((s: { score: number; followedByYourFollows: number; via: Array<{ did: string }> }, i: number) => {
      expect(s.score).toBeCloseTo(expected[i]!.score, 9);
      expect(s.followedByYourFollows).toBe(expected[i]!.via);
      for (const v of s.via) expect(edges.some(([a, b]) => a === someone && b === v.did)).toBe(true);
    });
    const follows = new Set(edges.filter(([a]) => a === someone).map(([, b]) => b));
    for (const s of got) expect(follows.has(s.actor.did)).toBe(false);
  }, 60_000);

  it('bridges: the planted bridging accounts rank near the top', async () => {
    const r = await graphql(server.url, `{ bridges(hashtag: "databs", first: 10) { actor { did } participation ties crossTies communitiesReached } }`);
    expect(r.errors).toBeUndefined();
    const planted = devnet.community.planted!;
    const bridgeDids = new Set([...planted.bridges].map((i) => devnet.community.actors[i]!.did));
    const top = r.data!.bridges;
    const hits = top.filter((b: { actor: { did: string } }) => bridgeDids.has(b.actor.did)).length;
    process.stdout.write(`[insights] bridges: ${hits} of the top ${top.length} are planted bridges (${bridgeDids.size} planted)\n`);
    // 7 of 240 members are planted bridges: ten members drawn at random would hold 0.3 of them.
    expect(hits).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < top.length; i++) expect(top[i].participation).toBeLessThanOrEqual(top[i - 1].participation);
  }, 60_000);

  it('community ids stay put when the graph changes a little', async () => {
    const before = await communities('LOUVAIN');
    // A few new follows inside the largest community: the graph version moves, the partition barely.
    const big = before[0]!.memberDids;
    await db.write(`UNWIND $pairs AS p MATCH (a:Actor {did: p[0]}), (b:Actor {did: p[1]}) MERGE (a)-[:FOLLOWS]->(b)`, { pairs: [[big[0], big[1]], [big[2], big[3]], [big[4], big[5]]] });
    const after = await communities('LOUVAIN');
    for (const c of before) {
      const continued = after.find((x) => overlap(x.memberDids, c.memberDids) * 2 > c.memberDids.length);
      expect(continued?.id).toBe(c.id);
    }
  }, 60_000);

  it('clear errors: a non-member, an unknown hashtag', async () => {
    const outsider = devnet.community.actors[devnet.community.memberCount + 1]!.did;
    await db.write(`MERGE (:Actor {did: $did})`, { did: outsider });
    const r = await graphql(server.url, `query($a: String!) { suggestFollows(actor: $a, hashtag: "databs") { score } }`, { a: outsider });
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toMatch(/not a member of #databs/);
    const unknown = await graphql(server.url, `{ communityStats(hashtag: "nosuchtag") { modularity } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const none = await graphql(server.url, `{ communities(hashtag: "nosuchtag") { id } bridges(hashtag: "nosuchtag") { ties } }`);
    expect(none.data).toEqual({ communities: [], bridges: [] });
  }, 60_000);
});

describe('completeness', () => {
  const QUERY = `{ completeness(hashtag: "databs", sample: 3) {
    members membersWithoutProfile membersCompared membersShort followsListed followsOnProfiles followsGap listedShare largestGaps { did }
    lastRun { status searchWindows searchCapHit incompleteFollowLists searchPages }
  } }`;

  it('reports what the crawl could not see, as a count over the stored graph does', async () => {
    const before = await graphql(server.url, QUERY);
    expect(before.errors).toBeUndefined();
    const c = before.data!.completeness;
    const listed = await db.read<{ n: number }>(`MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: 'databs'}), (a)-[f:FOLLOWS]->() RETURN count(f) AS n`);
    expect(c).toMatchObject({ members: members.length, membersWithoutProfile: 0, membersCompared: members.length, membersShort: 0, followsGap: 0, largestGaps: [] });
    expect(c.followsListed).toBe(Number(listed[0]!.n));
    // The profiles' counts are the devnet's; the earlier test added follows the profiles do not count yet.
    const memberSet = new Set(members);
    const onProfiles = devnet.community.actors.filter((a) => memberSet.has(a.did)).reduce((n, a) => n + a.followsCount, 0);
    expect(c.followsOnProfiles).toBe(onProfiles);
    expect(c.listedShare).toBeCloseTo(c.followsListed / onProfiles, 12);
    expect(c.lastRun).toMatchObject({ status: 'SUCCEEDED', searchCapHit: true, incompleteFollowLists: 0 });
    expect(c.lastRun.searchWindows).toBeGreaterThan(1);

    // What the AppView leaves out (a blocked or deleted account's follow), and a member without a profile.
    const [short, other] = [...members].sort();
    const [own] = await db.read<{ listed: number; claimed: number }>(`MATCH (a:Actor {did: $did}) RETURN COUNT { (a)-[:FOLLOWS]->() } AS listed, a.followsCount AS claimed`, { did: short });
    const gap = Number(own!.claimed) - (Number(own!.listed) - 4);
    await db.write(`MATCH (:Actor {did: $did})-[f:FOLLOWS]->() WITH f LIMIT 4 DELETE f`, { did: short });
    await db.write(`MATCH (a:Actor {did: $did}) REMOVE a.profileFetchedAt`, { did: other });
    const after = (await graphql(server.url, QUERY)).data!.completeness;
    expect(after).toMatchObject({ membersWithoutProfile: 1, membersShort: 1, followsGap: gap, followsListed: c.followsListed - 4, largestGaps: [{ did: short }] });
    expect(after.listedShare).toBeCloseTo((c.followsListed - 4) / c.followsOnProfiles, 12);
    const unknown = await graphql(server.url, `{ completeness(hashtag: "nosuchtag") { members } }`);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  }, 60_000);
});

function overlap(a: string[], b: string[]): number {
  const set = new Set(a);
  return b.filter((x) => set.has(x)).length;
}

function weaklyConnected(nodes: string[]): boolean {
  const inside = new Set(nodes);
  const adjacent = new Map(nodes.map((n) => [n, [] as string[]]));
  for (const [s, t] of edges) {
    if (!inside.has(s) || !inside.has(t)) continue;
    adjacent.get(s)!.push(t);
    adjacent.get(t)!.push(s);
  }
  const seen = new Set([nodes[0]!]);
  const stack = [nodes[0]!];
  while (stack.length) {
    for (const n of adjacent.get(stack.pop()!)!) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen.size === nodes.length;
}

/** Newman's modularity on the undirected multigraph of follows (each follow one unit). */
function bruteModularity(assignment: Map<string, number>): number {
  const m = edges.length;
  let inside = 0;
  const degree = new Map<number, number>();
  for (const [s, t] of edges) {
    if (assignment.get(s) === assignment.get(t)) inside++;
    for (const x of [s, t]) degree.set(assignment.get(x)!, (degree.get(assignment.get(x)!) ?? 0) + 1);
  }
  let expected = 0;
  for (const d of degree.values()) expected += (d / (2 * m)) ** 2;
  return inside / m - expected;
}

function expectStructure(nodes: string[]) {
  const inside = new Set(nodes);
  const own = edges.filter(([s, t]) => inside.has(s) && inside.has(t));
  const pairs = new Set(own.map(([s, t]) => `${s} ${t}`));
  const ties = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const [s, t] of own) {
    ties.get(s)!.add(t);
    ties.get(t)!.add(s);
  }
  let clustering = 0;
  for (const n of nodes) {
    const mine = [...ties.get(n)!];
    if (mine.length < 2) continue;
    let closed = 0;
    for (let i = 0; i < mine.length; i++) for (let j = i + 1; j < mine.length; j++) if (ties.get(mine[i]!)!.has(mine[j]!)) closed++;
    clustering += closed / ((mine.length * (mine.length - 1)) / 2);
  }
  // The largest k whose k-core is not empty (core numbers by repeated peeling, below).
  const maxCore = Math.max(0, ...bruteCores(nodes).values());
  const n = nodes.length;
  return {
    actors: n,
    follows: own.length,
    density: expect.closeTo(n > 1 ? own.length / (n * (n - 1)) : 0, 12),
    reciprocity: expect.closeTo(own.length ? own.filter(([s, t]) => pairs.has(`${t} ${s}`)).length / own.length : 0, 12),
    clustering: expect.closeTo(n ? clustering / n : 0, 9),
    maxCore,
  };
}

/** The largest k whose k-core (of undirected ties among `nodes`) still holds each node. */
function bruteCores(nodes: string[]): Map<string, number> {
  const inside = new Set(nodes);
  const ties = new Map(nodes.map((n) => [n, new Set<string>()]));
  for (const [s, t] of edges) {
    if (!inside.has(s) || !inside.has(t)) continue;
    ties.get(s)!.add(t);
    ties.get(t)!.add(s);
  }
  const core = new Map(nodes.map((n) => [n, 0]));
  const alive = new Set(nodes);
  for (let k = 1; alive.size > 0; k++) {
    let changed = true;
    while (changed) {
      changed = false;
      for (const n of [...alive]) {
        if ([...ties.get(n)!].filter((x) => alive.has(x)).length >= k) continue;
        alive.delete(n);
        changed = true;
      }
    }
    for (const n of alive) core.set(n, k);
  }
  return core;
}

function bruteSuggestions(did: string): Array<{ did: string; score: number; via: number }> {
  const degree = new Map(members.map((m) => [m, 0]));
  for (const [s, t] of edges) {
    degree.set(s, degree.get(s)! + 1);
    degree.set(t, degree.get(t)! + 1);
  }
  const follows = new Set(edges.filter(([a]) => a === did).map(([, b]) => b));
  const scores = new Map<string, { score: number; via: number }>();
  for (const [w, z] of edges) {
    if (!follows.has(w) || z === did || follows.has(z)) continue;
    const entry = scores.get(z) ?? { score: 0, via: 0 };
    entry.score += 1 / Math.log(degree.get(w)!);
    entry.via++;
    scores.set(z, entry);
  }
  return [...scores].map(([z, e]) => ({ did: z, ...e })).sort((a, b) => b.score - a.score || b.via - a.via || (a.did < b.did ? -1 : 1));
}
