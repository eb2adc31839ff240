/**
 * The benchmarks' big graph: a devnet community (5,000 members → 15,000 actors, ~1,000,000 FOLLOWS)
 * written straight into the ingest's data model (Actor with profiles, Hashtag, POSTED_WITH, FOLLOWS)
 * without crawling it — crawling a million edges at 10 req/s is the ingest benchmark's business, not
 * the API's. A second, smaller hashtag (#dataviz, every 5th member) gives analytics a community-scope
 * subgraph small enough for the in-process fallback's all-pairs metrics.
 *
 * A marker node records what was loaded; when it and the counts match, nothing is reloaded, so reruns
 * start in seconds. Anything else (a wiped or different graph) is wiped and loaded again: point
 * NEO4J_URI at a scratch server.
 * Standalone: node --import @swc-node/register/esm-register bench/big-graph.ts [members=5000] [seed=7]
 */
import { followsOf, generateCommunity, type Community } from '../devnet/index.js';
import type { GraphDatabase } from '../src/graph/database.js';
import { migrate } from '../src/graph/migrations.js';

export const BIG_GRAPH_HASHTAG = 'databs';
/** Every SUB_HASHTAG_STRIDE-th member also posts #dataviz. */
export const SUB_HASHTAG = 'dataviz';
const SUB_HASHTAG_STRIDE = 5;
/** Bump when the loader writes something different, so an old load is not taken for a new one. */
const LOADER_VERSION = 2;
const MARKER_ID = 'big-graph';
const LOAD_TIMEOUT_MS = 600_000;
const ROW_BATCH = 5_000;
const EDGE_BATCH = 50_000;

export interface BigGraphOptions {
  /** Default 5,000 (≈ 1,000,000 follows). */
  members?: number;
  seed?: number;
}

export interface BigGraph {
  /** The generated community (ground truth); generated on first call, ~1 s and ~200 MB. */
  community(): Community;
  readonly hashtag: string;
  readonly subHashtag: string;
  readonly actors: number;
  readonly members: number;
  readonly subMembers: number;
  readonly follows: number;
  /** Seconds spent loading; null when the graph was already there. */
  readonly loadSeconds: number | null;
}

interface Counts {
  actors: number;
  follows: number;
  memberships: number;
}

const MARKER = `OPTIONAL MATCH (m:BenchGraph {id: $id}) RETURN m.signature AS signature, m.actors AS actors, m.follows AS follows, m.memberships AS memberships`;
// Count-store lookups: instant whatever the graph's size.
const COUNTS = `
CALL () { MATCH (a:Actor) RETURN count(a) AS actors }
CALL () { MATCH ()-[f:FOLLOWS]->() RETURN count(f) AS follows }
CALL () { MATCH ()-[p:POSTED_WITH]->() RETURN count(p) AS memberships }
RETURN actors, follows, memberships`;

const WIPE = 'MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS';

const CREATE_ACTORS = `
UNWIND $rows AS r
CREATE (a:Actor)
SET a = r.props,
    a.profileFetchedAt = CASE WHEN r.member THEN datetime($fetchedAt) ELSE null END,
    a.followsFetchedAt = CASE WHEN r.member THEN datetime($fetchedAt) ELSE null END`;

const CREATE_HASHTAGS = `UNWIND $names AS name CREATE (:Hashtag {name: name})`;

const CREATE_MEMBERSHIPS = `
UNWIND $rows AS r
MATCH (a:Actor {did: r.did})
MATCH (h:Hashtag {name: r.hashtag})
CREATE (a)-[:POSTED_WITH {posts: r.posts, firstAt: r.firstAt, lastAt: r.lastAt, runId: 'bench-big-graph'}]->(h)`;

// One index seek per source, then one per target: the graph is empty, so CREATE (no MERGE check).
const CREATE_FOLLOWS = `
UNWIND $groups AS g
MATCH (a:Actor {did: g.source})
UNWIND g.targets AS target
MATCH (b:Actor {did: target})
CREATE (a)-[:FOLLOWS {seenAt: $seenAt}]->(b)`;

const CREATE_MARKER = `
CREATE (m:BenchGraph {id: $id})
SET m.signature = $signature, m.loadedAt = datetime(), m += $counts
WITH m
MERGE (v:GraphVersion {id: 'graph'})
ON CREATE SET v.version = 0, v.epoch = randomUUID()
SET v.version = v.version + 1, v.changedAt = datetime()`;

/** Loads the graph unless it is already there; returns what is in it. */
export async function ensureBigGraph(db: GraphDatabase, options: BigGraphOptions = {}, log: (line: string) => void = () => {}): Promise<BigGraph> {
  const members = options.members ?? 5000;
  const seed = options.seed ?? 7;
  const signature = JSON.stringify({ loader: LOADER_VERSION, members, seed, hashtag: BIG_GRAPH_HASHTAG, sub: [SUB_HASHTAG, SUB_HASHTAG_STRIDE] });
  let community: Community | null = null;
  const generate = () => (community ??= generateCommunity({ members, seed, hashtag: BIG_GRAPH_HASHTAG }));
  const summary = (counts: Counts, loadSeconds: number | null): BigGraph => ({
    community: generate,
    hashtag: BIG_GRAPH_HASHTAG,
    subHashtag: SUB_HASHTAG,
    actors: counts.actors,
    members,
    subMembers: counts.memberships - members,
    follows: counts.follows,
    loadSeconds,
  });

  await migrate(db);
  // The marker keeps the counts the load wrote, so a rerun need not generate the community to check.
  const present = await loadedCounts(db, signature);
  if (present) {
    log(`big graph already loaded (${present.actors} actors, ${present.follows} follows)`);
    return summary(present, null);
  }
  const started = performance.now();
  const expected = expectedOf(generate());
  log('big graph: wiping the database');
  await db.autoCommit(WIPE, {}, LOAD_TIMEOUT_MS);
  await migrate(db);
  await writeCommunity(db, generate(), log);
  await db.write(CREATE_MARKER, { id: MARKER_ID, signature, counts: expected });
  if (!(await loadedCounts(db, signature))) throw new Error('big graph: counts after loading do not match what was written');
  const seconds = (performance.now() - started) / 1000;
  log(`big graph loaded in ${seconds.toFixed(1)} s`);
  return summary(expected, seconds);
}

function expectedOf(community: Community): Counts {
  const members = community.memberCount;
  return {
    actors: community.actors.length,
    follows: community.follows.offsets[members] as number,
    memberships: members + Math.ceil(members / SUB_HASHTAG_STRIDE),
  };
}

/** The counts recorded by the marker of this signature, if the graph still holds exactly them. */
async function loadedCounts(db: GraphDatabase, signature: string): Promise<Counts | null> {
  const [marker] = await db.read<{ signature: string | null } & Counts>(MARKER, { id: MARKER_ID });
  if (!marker || marker.signature !== signature) return null;
  const [counts] = await db.read<Counts>(COUNTS);
  const same = counts?.actors === marker.actors && counts.follows === marker.follows && counts.memberships === marker.memberships;
  return same ? { actors: marker.actors, follows: marker.follows, memberships: marker.memberships } : null;
}

async function writeCommunity(db: GraphDatabase, community: Community, log: (line: string) => void): Promise<void> {
  const fetchedAt = community.options.baseTime;
  const actorRows = community.actors.map((a) => ({
    member: a.isMember,
    props: {
      did: a.did,
      handle: a.handle,
      displayName: a.displayName ?? null,
      description: a.description ?? null,
      avatar: a.avatar ?? null,
      createdAt: a.createdAt,
      // Follow targets come from getFollows, which carries no counts (as the ingest stores them).
      ...(a.isMember ? { postsCount: a.postsCount, followersCount: a.followersCount, followsCount: a.followsCount } : {}),
    },
  }));
  for (let i = 0; i < actorRows.length; i += ROW_BATCH) {
    await db.write(CREATE_ACTORS, { rows: actorRows.slice(i, i + ROW_BATCH), fetchedAt }, LOAD_TIMEOUT_MS);
  }
  log(`big graph: ${actorRows.length} actors`);

  await db.write(CREATE_HASHTAGS, { names: [BIG_GRAPH_HASHTAG, SUB_HASHTAG] });
  const memberships = membershipRows(community);
  for (let i = 0; i < memberships.length; i += ROW_BATCH) {
    await db.write(CREATE_MEMBERSHIPS, { rows: memberships.slice(i, i + ROW_BATCH) }, LOAD_TIMEOUT_MS);
  }
  log(`big graph: ${memberships.length} memberships`);

  const seenAt = Date.parse(fetchedAt);
  let groups: Array<{ source: string; targets: string[] }> = [];
  let pending = 0;
  let written = 0;
  const flush = async () => {
    if (!groups.length) return;
    const batch = groups;
    groups = [];
    await db.write(CREATE_FOLLOWS, { groups: batch, seenAt }, LOAD_TIMEOUT_MS);
    written += pending;
    pending = 0;
    if (written % 250_000 < EDGE_BATCH) log(`big graph: ${written} follows…`);
  };
  for (let m = 0; m < community.memberCount; m++) {
    const targets = Array.from(followsOf(community.follows, m), (t) => community.actors[t]!.did);
    if (!targets.length) continue;
    groups.push({ source: community.actors[m]!.did, targets });
    pending += targets.length;
    if (pending >= EDGE_BATCH) await flush();
  }
  await flush();
  log(`big graph: ${written} follows`);
}

function membershipRows(community: Community): Array<{ did: string; hashtag: string; posts: number; firstAt: string; lastAt: string }> {
  const posts = new Map<number, { n: number; first: string; last: string }>();
  for (const p of community.posts) {
    if (p.author >= community.memberCount) continue;
    const seen = posts.get(p.author);
    if (!seen) posts.set(p.author, { n: 1, first: p.createdAt, last: p.createdAt });
    else {
      seen.n++;
      if (p.createdAt < seen.first) seen.first = p.createdAt;
      if (p.createdAt > seen.last) seen.last = p.createdAt;
    }
  }
  const rows = [];
  for (let m = 0; m < community.memberCount; m++) {
    const did = community.actors[m]!.did;
    const p = posts.get(m) ?? { n: 1, first: community.options.baseTime, last: community.options.baseTime };
    rows.push({ did, hashtag: BIG_GRAPH_HASHTAG, posts: p.n, firstAt: p.first, lastAt: p.last });
    if (m % SUB_HASHTAG_STRIDE === 0) rows.push({ did, hashtag: SUB_HASHTAG, posts: 1, firstAt: p.last, lastAt: p.last });
  }
  return rows;
}

if (process.argv[1]?.endsWith('big-graph.ts')) {
  const { loadConfig } = await import('../src/config/config.js');
  const { GraphDatabase } = await import('../src/graph/database.js');
  const db = GraphDatabase.fromConfig(loadConfig(process.env));
  try {
    const graph = await ensureBigGraph(db, { members: Number(process.argv[2] ?? 5000), seed: Number(process.argv[3] ?? 7) }, (l) => process.stderr.write(l + '\n'));
    const { community: _community, ...counts } = graph;
    process.stdout.write(JSON.stringify(counts) + '\n');
  } finally {
    await db.close();
  }
}
