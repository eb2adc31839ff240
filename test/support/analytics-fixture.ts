/**
 * A realistic graph for analytics and export tests, written straight into Neo4j in the ingest's data
 * model, with an in-memory copy the tests compute expectations from independently.
 *
 * - `#databs`: a devnet community (members, the outsiders they follow, power-law follows).
 * - `#other`: a second hashtag overlapping it — some databs members, some databs outsiders and some
 *   actors of its own, who follow into #databs. Their follows must never leak into #databs' scopes.
 * - A few actors carrying hostile text (formula prefixes, quotes, commas, newlines, control characters)
 *   in display names and avatars, and a member with no profile counts and no follows.
 */
import { generateCommunity, type DevnetActor } from '../../devnet/index.js';
import { followsOf } from '../../devnet/follow-graph.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { bumpGraphVersion } from '../../src/graph/graph-version.js';
import { mulberry32 } from '../../src/random/mulberry32.js';

export interface FixtureActor {
  did: string;
  handle: string;
  displayName: string | null;
  avatar: string | null;
  postsCount: number | null;
  followersCount: number | null;
  followsCount: number | null;
}

export interface AnalyticsFixture {
  actors: Map<string, FixtureActor>;
  /** hashtag → member DIDs */
  members: Map<string, Set<string>>;
  /** Every FOLLOWS in the database, [source, target]. */
  follows: Array<[string, string]>;
}

export interface FixtureOptions {
  members?: number;
  outsiders?: number;
  meanFollows?: number;
  seed?: number;
  /** Also create #other and the hostile actors (default true). */
  extras?: boolean;
}

const HOSTILE_NAMES = ['=HYPERLINK("http://evil","x")', '+SUM(1,2)', '-2+3', '@cmd', '\tTabbed', 'Comma, "quoted"', 'Line\r\nbreak', 'ctl\u0001\u0007\u001f chars', 'ok <b>&amp;</b>'];


export function buildFixture(options: FixtureOptions = {}): AnalyticsFixture {
  const community = generateCommunity({
    members: options.members ?? 300,
    outsiders: options.outsiders ?? 500,
    meanFollows: options.meanFollows ?? 25,
    seed: options.seed ?? 7,
    hashtag: 'databs',
  });
  const actors = new Map<string, FixtureActor>();
  const follows: Array<[string, string]> = [];
  const databs = new Set<string>();
  const profile = (a: DevnetActor, withCounts: boolean): FixtureActor => ({
    did: a.did,
    handle: a.handle,
    displayName: a.displayName ?? null,
    avatar: a.avatar ?? null,
    postsCount: withCounts ? a.postsCount : null,
    followersCount: withCounts ? a.followersCount : null,
    followsCount: withCounts ? a.followsCount : null,
  });
  for (let m = 0; m < community.memberCount; m++) {
    const a = community.actors[m]!;
    databs.add(a.did);
    actors.set(a.did, profile(a, true));
    for (const t of followsOf(community.follows, m)) {
      const target = community.actors[t]!;
      // Follow targets carry what getFollows returns: no counts (unless they are members too).
      if (!actors.has(target.did)) actors.set(target.did, profile(target, false));
      follows.push([a.did, target.did]);
    }
  }
  const members = new Map([['databs', databs]]);
  if (options.extras === false) return { actors, members, follows };

  const random = mulberry32(options.seed ?? 7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const databsMembers = [...databs];
  const outsiders = [...actors.keys()].filter((d) => !databs.has(d));

  // Hostile text: on some databs members (GEXF/GraphML display names) and follow targets (CSV extras).
  HOSTILE_NAMES.forEach((name, i) => {
    const did = i % 2 === 0 ? databsMembers[i * 7]! : outsiders[i * 5]!;
    const a = actors.get(did)!;
    a.displayName = name;
    if (i === 5) a.avatar = 'https://cdn.test/a,b"c.jpg';
  });
  // A member whose profile never arrived and who follows nobody.
  const quiet: FixtureActor = { did: 'did:plc:quietmember0000000000000', handle: 'quiet.devnet.test', displayName: null, avatar: null, postsCount: null, followersCount: null, followsCount: null };
  actors.set(quiet.did, quiet);
  databs.add(quiet.did);

  // #other: 10 databs members, 10 databs outsiders, 20 actors of its own.
  const other = new Set<string>();
  for (let i = 0; i < 10; i++) other.add(databsMembers[i * 13]!);
  for (let i = 0; i < 10; i++) other.add(outsiders[i * 11]!);
  for (let i = 0; i < 20; i++) {
    const did = `did:plc:other${String(i).padStart(20, '0')}`;
    actors.set(did, { did, handle: `other-${i}.devnet.test`, displayName: `Other ${i}`, avatar: null, postsCount: 10 + i, followersCount: i, followsCount: 5 });
    other.add(did);
  }
  const seen = new Set(follows.map(([s, t]) => `${s} ${t}`));
  for (const s of other) {
    for (let k = 0; k < 5; k++) {
      const t = pick(random() < 0.5 ? databsMembers : [...other]);
      if (t === s || seen.has(`${s} ${t}`)) continue;
      seen.add(`${s} ${t}`);
      follows.push([s, t]);
    }
  }
  members.set('other', other);
  return { actors, members, follows };
}

const WRITE_ACTORS = `
UNWIND $rows AS r
CREATE (a:Actor {did: r.did, handle: r.handle})
SET a.displayName = r.displayName, a.avatar = r.avatar, a.postsCount = r.postsCount,
    a.followersCount = r.followersCount, a.followsCount = r.followsCount`;

const WRITE_MEMBERS = `
MERGE (h:Hashtag {name: $hashtag})
WITH h
UNWIND $dids AS did
MATCH (a:Actor {did: did})
CREATE (a)-[:POSTED_WITH {posts: 1, runId: 'fixture'}]->(h)`;

const WRITE_FOLLOWS = `
UNWIND $rows AS r
MATCH (a:Actor {did: r[0]})
MATCH (b:Actor {did: r[1]})
CREATE (a)-[:FOLLOWS {seenAt: 0}]->(b)`;

/** Writes the fixture into an empty (reset) database and bumps the graph version like an ingest. */
export async function loadFixture(db: GraphDatabase, fixture: AnalyticsFixture, batch = 10_000): Promise<void> {
  const actors = [...fixture.actors.values()];
  for (let i = 0; i < actors.length; i += batch) await db.write(WRITE_ACTORS, { rows: actors.slice(i, i + batch) });
  for (const [hashtag, dids] of fixture.members) await db.write(WRITE_MEMBERS, { hashtag, dids: [...dids] });
  for (let i = 0; i < fixture.follows.length; i += batch) await db.write(WRITE_FOLLOWS, { rows: fixture.follows.slice(i, i + batch) }, 300_000);
  await db.writeTx((tx) => bumpGraphVersion(tx));
}

/** The scope of a hashtag computed from the fixture alone (what the Cypher must reproduce). */
export function fixtureScope(fixture: AnalyticsFixture, hashtag: string | null, scope: 'COMMUNITY' | 'ALL'): { nodes: Set<string>; edges: Array<[string, string]> } {
  if (hashtag === null) return { nodes: new Set(fixture.actors.keys()), edges: fixture.follows };
  const members = fixture.members.get(hashtag) ?? new Set<string>();
  const edges = fixture.follows.filter(([s, t]) => members.has(s) && (scope === 'ALL' || members.has(t)));
  const nodes = new Set(members);
  if (scope === 'ALL') for (const [, t] of edges) nodes.add(t);
  return { nodes, edges };
}
