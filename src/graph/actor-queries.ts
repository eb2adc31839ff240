/**
 * Reads about actors for the API: skeletons (which DIDs, in which order) and the one batched
 * hydration that loads everything a page of actors shows. Each function runs one query.
 */
import type { GraphDatabase } from './database.js';

/** What hydration knows about an actor: its node's properties and its hashtag memberships. */
export interface ActorRecord {
  readonly did: string;
  readonly handle: string | null;
  readonly displayName: string | null;
  readonly description: string | null;
  readonly avatar: string | null;
  readonly postsCount: number | null;
  readonly followersCount: number | null;
  readonly followsCount: number | null;
  readonly createdAt: string | null;
  readonly pagerank: number | null;
  readonly community: number | null;
  readonly hashtags: string[];
}

/** A keyset position: the sort key and the DID that breaks ties. */
export interface Keyset {
  readonly key: number | string;
  readonly did: string;
}

export interface SkeletonPage {
  readonly items: Keyset[];
  readonly hasNextPage: boolean;
}

const HYDRATE = `
UNWIND $dids AS did
MATCH (a:Actor {did: did})
RETURN a.did AS did, a.handle AS handle, a.displayName AS displayName, a.description AS description,
       a.avatar AS avatar, a.postsCount AS postsCount, a.followersCount AS followersCount,
       a.followsCount AS followsCount, a.createdAt AS createdAt, a.pagerank AS pagerank,
       a.community AS community,
       [(a)-[:POSTED_WITH]->(h:Hashtag) | h.name] AS hashtags`;

/** One query for any number of DIDs; the map has no entry for DIDs not in the graph. */
export async function loadActors(db: GraphDatabase, dids: readonly string[]): Promise<Map<string, ActorRecord>> {
  const rows = await db.read<Record<string, unknown>>(HYDRATE, { dids: [...new Set(dids)] });
  const out = new Map<string, ActorRecord>();
  for (const r of rows) {
    out.set(String(r.did), {
      did: String(r.did),
      handle: text(r.handle),
      displayName: text(r.displayName),
      description: text(r.description),
      avatar: text(r.avatar),
      postsCount: num(r.postsCount),
      followersCount: num(r.followersCount),
      followsCount: num(r.followsCount),
      createdAt: r.createdAt == null ? null : String(r.createdAt),
      pagerank: num(r.pagerank),
      community: num(r.community),
      hashtags: ((r.hashtags as string[] | null) ?? []).slice().sort(),
    });
  }
  return out;
}

// Two branches so each uses its index (DID constraint, handle index); an OR would scan.
const RESOLVE = `
UNWIND $dids AS ref
MATCH (a:Actor {did: ref})
RETURN 'did' AS kind, ref, a.did AS did, '' AS fetchedAt
UNION ALL
UNWIND $handles AS ref
MATCH (a:Actor {handle: ref})
RETURN 'handle' AS kind, ref, a.did AS did, coalesce(toString(a.profileFetchedAt), '') AS fetchedAt`;

/**
 * Handles and DIDs → DIDs in one query. A handle that moved to another account can sit on two
 * nodes until the old one is re-crawled; the most recently fetched profile wins.
 */
export async function resolveActorRefs(
  db: GraphDatabase,
  refs: { dids: readonly string[]; handles: readonly string[] },
): Promise<{ dids: Map<string, string>; handles: Map<string, string> }> {
  const rows = await db.read<{ kind: 'did' | 'handle'; ref: string; did: string; fetchedAt: string }>(RESOLVE, {
    dids: [...new Set(refs.dids)],
    handles: [...new Set(refs.handles)],
  });
  const dids = new Map<string, string>();
  const handles = new Map<string, { did: string; fetchedAt: string }>();
  for (const row of rows) {
    if (row.kind === 'did') {
      dids.set(row.ref, row.did);
      continue;
    }
    const seen = handles.get(row.ref);
    // ISO timestamps of one format compare as strings; '' (never fetched) loses.
    if (!seen || row.fetchedAt > seen.fetchedAt || (row.fetchedAt === seen.fetchedAt && row.did < seen.did)) {
      handles.set(row.ref, { did: row.did, fetchedAt: row.fetchedAt });
    }
  }
  return { dids, handles: new Map([...handles].map(([h, v]) => [h, v.did])) };
}

export type ActorListOrder = 'FOLLOWERS' | 'PAGERANK' | 'HANDLE';

export interface ActorListFilter {
  readonly hashtag: string | null;
  /** Lower-cased substring of handle or display name. */
  readonly search: string | null;
}

// Sort keys never null: a null would sort differently from how the keyset comparison treats it.
const ORDER_KEYS: Record<ActorListOrder, { key: string; direction: 'ASC' | 'DESC'; beyond: '<' | '>' }> = {
  FOLLOWERS: { key: 'coalesce(a.followersCount, -1)', direction: 'DESC', beyond: '<' },
  PAGERANK: { key: 'coalesce(toFloat(a.pagerank), -1.0)', direction: 'DESC', beyond: '<' },
  HANDLE: { key: 'coalesce(a.handle, a.did)', direction: 'ASC', beyond: '>' },
};

const ACTORS_SOURCE = {
  all: 'MATCH (a:Actor)',
  members: 'MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor)',
};

const ACTORS_FILTER = `
WHERE $search IS NULL
   OR toLower(coalesce(a.handle, '')) CONTAINS $search
   OR toLower(coalesce(a.displayName, '')) CONTAINS $search`;

/** The list query, assembled only from the constants above (never from user input). */
function actorsPageCypher(order: ActorListOrder, byHashtag: boolean): string {
  const o = ORDER_KEYS[order];
  return `
${byHashtag ? ACTORS_SOURCE.members : ACTORS_SOURCE.all}
${ACTORS_FILTER}
WITH a, ${o.key} AS key
WHERE $after IS NULL OR key ${o.beyond} $after.key OR (key = $after.key AND a.did > $after.did)
RETURN a.did AS did, key
ORDER BY key ${o.direction}, did ASC
LIMIT toInteger($limit)`;
}

/** Skeleton of `actors(…)`: `first` DIDs after the cursor, asking one more to learn hasNextPage. */
export async function actorsPage(
  db: GraphDatabase,
  args: ActorListFilter & { order: ActorListOrder; first: number; after: Keyset | null },
): Promise<SkeletonPage> {
  const rows = await db.read<{ did: string; key: number | string }>(actorsPageCypher(args.order, args.hashtag !== null), {
    hashtag: args.hashtag,
    search: args.search,
    after: args.after,
    limit: args.first + 1,
  });
  return page(rows, args.first);
}

export async function countActors(db: GraphDatabase, filter: ActorListFilter): Promise<number> {
  const source = filter.hashtag !== null ? ACTORS_SOURCE.members : ACTORS_SOURCE.all;
  const rows = await db.read<{ n: number }>(`${source}\n${ACTORS_FILTER}\nRETURN count(a) AS n`, { hashtag: filter.hashtag, search: filter.search });
  return Number(rows[0]?.n ?? 0);
}

/** Neighbour lists of an actor; `b` is the neighbour. */
export type Neighbours = 'FOLLOWS' | 'FOLLOWERS' | 'MUTUALS';

const NEIGHBOUR_PATTERNS: Record<Neighbours, string> = {
  FOLLOWS: '(a)-[:FOLLOWS]->(b:Actor)',
  FOLLOWERS: '(a)<-[:FOLLOWS]-(b:Actor)',
  MUTUALS: '(a)-[:FOLLOWS]->(b:Actor)-[:FOLLOWS]->(a)',
};

const IN_HASHTAG = '($hashtag IS NULL OR EXISTS { (b)-[:POSTED_WITH]->(:Hashtag {name: $hashtag}) })';

function neighbourPagesCypher(relation: Neighbours): string {
  return `
UNWIND $dids AS did
MATCH (a:Actor {did: did})
CALL (a) {
  MATCH ${NEIGHBOUR_PATTERNS[relation]}
  WHERE ${IN_HASHTAG}
  WITH b, coalesce(b.handle, b.did) AS key
  WHERE $after IS NULL OR key > $after.key OR (key = $after.key AND b.did > $after.did)
  RETURN b.did AS neighbour, key
  ORDER BY key, neighbour
  LIMIT toInteger($limit)
}
RETURN did, neighbour, key
ORDER BY did, key, neighbour`;
}

/**
 * One page of follows/followers/mutuals for each of many actors, in one query: a page of 50 actors
 * each showing its follows costs one round trip, not 50. Ordered by handle, then DID.
 */
export async function neighbourPages(
  db: GraphDatabase,
  args: { relation: Neighbours; dids: readonly string[]; hashtag: string | null; first: number; after: Keyset | null },
): Promise<Map<string, SkeletonPage>> {
  const rows = await db.read<{ did: string; neighbour: string; key: string }>(neighbourPagesCypher(args.relation), {
    dids: [...new Set(args.dids)],
    hashtag: args.hashtag,
    after: args.after,
    limit: args.first + 1,
  });
  const grouped = new Map<string, Array<{ did: string; key: string }>>();
  for (const row of rows) {
    let list = grouped.get(row.did);
    if (!list) grouped.set(row.did, (list = []));
    list.push({ did: row.neighbour, key: row.key });
  }
  const out = new Map<string, SkeletonPage>();
  for (const did of args.dids) out.set(did, page(grouped.get(did) ?? [], args.first));
  return out;
}

export interface InGraphCounts {
  readonly followers: number;
  readonly follows: number;
  readonly mutuals: number;
}

const IN_GRAPH_COUNTS = `
UNWIND $dids AS did
MATCH (a:Actor {did: did})
RETURN did,
  COUNT { MATCH ${NEIGHBOUR_PATTERNS.FOLLOWERS} WHERE ${IN_HASHTAG} } AS followers,
  COUNT { MATCH ${NEIGHBOUR_PATTERNS.FOLLOWS} WHERE ${IN_HASHTAG} } AS follows,
  COUNT { MATCH ${NEIGHBOUR_PATTERNS.MUTUALS} WHERE ${IN_HASHTAG} } AS mutuals`;

/**
 * FOLLOWS edges present in the graph (not Bluesky's profile counts), optionally only those whose
 * other end is a member of `hashtag`. Batched over DIDs; DIDs not in the graph count zero.
 */
export async function inGraphCounts(db: GraphDatabase, dids: readonly string[], hashtag: string | null): Promise<Map<string, InGraphCounts>> {
  const rows = await db.read<{ did: string; followers: number; follows: number; mutuals: number }>(IN_GRAPH_COUNTS, {
    dids: [...new Set(dids)],
    hashtag,
  });
  const out = new Map<string, InGraphCounts>();
  for (const r of rows) out.set(r.did, { followers: Number(r.followers), follows: Number(r.follows), mutuals: Number(r.mutuals) });
  return out;
}

const COMMON_FOLLOWS = `
MATCH (a:Actor {did: $a})-[:FOLLOWS]->(b:Actor)<-[:FOLLOWS]-(:Actor {did: $b})
WITH b, coalesce(b.handle, b.did) AS key
WHERE $after IS NULL OR key > $after.key OR (key = $after.key AND b.did > $after.did)
RETURN b.did AS did, key
ORDER BY key, did
LIMIT toInteger($limit)`;

/** Actors both `a` and `b` follow (two distinct actors), by handle. */
export async function commonFollowsPage(
  db: GraphDatabase,
  args: { a: string; b: string; first: number; after: Keyset | null },
): Promise<SkeletonPage> {
  const rows = await db.read<{ did: string; key: string }>(COMMON_FOLLOWS, {
    a: args.a,
    b: args.b,
    after: args.after,
    limit: args.first + 1,
  });
  return page(rows, args.first);
}

const COUNT_COMMON_FOLLOWS = `
MATCH (:Actor {did: $a})-[:FOLLOWS]->(b:Actor)<-[:FOLLOWS]-(:Actor {did: $b})
RETURN count(b) AS n`;

export async function countCommonFollows(db: GraphDatabase, a: string, b: string): Promise<number> {
  const rows = await db.read<{ n: number }>(COUNT_COMMON_FOLLOWS, { a, b });
  return Number(rows[0]?.n ?? 0);
}

function page(rows: ReadonlyArray<{ did: string; key: number | string }>, first: number): SkeletonPage {
  return {
    items: rows.slice(0, first).map((r) => ({ did: r.did, key: typeof r.key === 'number' ? r.key : String(r.key) })),
    hasNextPage: rows.length > first,
  };
}

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}
