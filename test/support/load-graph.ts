/**
 * Writes a known graph in the ingest's data model (Actor, Hashtag, POSTED_WITH, FOLLOWS) with
 * UNWIND … MERGE batches, so API tests can compare answers with an independent in-memory model.
 */
import { followsOf, type Community } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { bumpGraphVersion } from '../../src/graph/graph-version.js';

export interface FixtureActor {
  readonly did: string;
  readonly handle: string;
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly avatar?: string | null;
  /** Profile counts: only members have them (follow targets come from getFollows, without counts). */
  readonly postsCount?: number | null;
  readonly followersCount?: number | null;
  readonly followsCount?: number | null;
  readonly createdAt?: string | null;
  readonly pagerank?: number | null;
  readonly community?: number | null;
  /** ISO 8601; decides which of two actors sharing a handle a look-up returns. */
  readonly profileFetchedAt?: string | null;
}

export interface GraphFixture {
  readonly actors: FixtureActor[];
  /** pagerank/community: the hashtag's scores as computeScores would have written them. */
  readonly memberships: Array<{ did: string; hashtag: string; posts: number; pagerank?: number | null; community?: number | null }>;
  /** [source DID, target DID] */
  readonly follows: Array<[string, string]>;
}

const ACTORS = `
UNWIND $rows AS r
MERGE (a:Actor {did: r.did})
SET a.handle = r.handle, a.displayName = r.displayName, a.description = r.description, a.avatar = r.avatar,
    a.postsCount = r.postsCount, a.followersCount = r.followersCount, a.followsCount = r.followsCount,
    a.createdAt = r.createdAt, a.pagerank = r.pagerank, a.community = r.community,
    a.profileFetchedAt = CASE WHEN r.profileFetchedAt IS NULL THEN null ELSE datetime(r.profileFetchedAt) END`;

const MEMBERSHIPS = `
UNWIND $rows AS r
MERGE (h:Hashtag {name: r.hashtag})
WITH h, r
MATCH (a:Actor {did: r.did})
MERGE (a)-[p:POSTED_WITH]->(h)
SET p.posts = r.posts, p.firstAt = '2025-01-01T00:00:00.000Z', p.lastAt = '2025-05-01T00:00:00.000Z', p.runId = 'fixture',
    p.pagerank = r.pagerank, p.community = r.community`;

const FOLLOWS = `
UNWIND $rows AS r
MATCH (a:Actor {did: r[0]})
MATCH (b:Actor {did: r[1]})
MERGE (a)-[f:FOLLOWS]->(b)
SET f.seenAt = 0`;

const BATCH = 5000;

export async function loadGraph(db: GraphDatabase, fixture: GraphFixture): Promise<void> {
  const actors = fixture.actors.map((a) => ({
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
    profileFetchedAt: a.profileFetchedAt ?? null,
  }));
  for (let i = 0; i < actors.length; i += BATCH) await db.write(ACTORS, { rows: actors.slice(i, i + BATCH) });
  const memberships = fixture.memberships.map((m) => ({ ...m, pagerank: m.pagerank ?? null, community: m.community ?? null }));
  for (let i = 0; i < memberships.length; i += BATCH) await db.write(MEMBERSHIPS, { rows: memberships.slice(i, i + BATCH) });
  for (let i = 0; i < fixture.follows.length; i += BATCH) await db.write(FOLLOWS, { rows: fixture.follows.slice(i, i + BATCH) });
  // Every writer says the graph changed (the read model and analytics caches key on it).
  await db.writeTx((tx) => bumpGraphVersion(tx));
}

/**
 * A devnet community as the ingest would store it: members with full profiles and POSTED_WITH,
 * outsiders with what getFollows shows (no counts), FOLLOWS from members only.
 */
export function fixtureFromCommunity(community: Community): GraphFixture {
  const actors: FixtureActor[] = community.actors.map((a) => ({
    did: a.did,
    handle: a.handle,
    displayName: a.displayName ?? null,
    description: a.description ?? null,
    avatar: a.avatar ?? null,
    createdAt: a.createdAt,
    ...(a.isMember
      ? { postsCount: a.postsCount, followersCount: a.followersCount, followsCount: a.followsCount, profileFetchedAt: '2025-06-01T00:00:00.000Z' }
      : {}),
  }));
  const memberships = community.actors.filter((a) => a.isMember).map((a) => ({ did: a.did, hashtag: community.hashtag, posts: 1 }));
  const follows: Array<[string, string]> = [];
  for (let m = 0; m < community.memberCount; m++) {
    for (const t of followsOf(community.follows, m)) follows.push([community.actors[m]!.did, community.actors[t]!.did]);
  }
  return { actors, memberships, follows };
}
