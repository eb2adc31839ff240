/**
 * Cypher behind exports: one streamed read per pass, ordered so files are reproducible byte for byte
 * for the same graph. The scope (nodes and edges) is scope-cypher.ts's, as analytics and the graph
 * view read it.
 */
import type { GraphDatabase } from './database.js';
import type { Scope } from '../core/scope.js';
import { FOLLOW_TARGET_IN_SCOPE, MATCH_MEMBERS, matchScopeActors, scopeParams } from './scope-cypher.js';

/** An export of a million edges takes minutes, not seconds. */
const EXPORT_TIMEOUT_MS = 60 * 60_000;

/** One FOLLOWS edge whose source is a member, with both ends' profile fields, as the export reads it. */
export interface FollowRow {
  sourceDid: string;
  sourceHandle: string | null;
  sourceAvatar: string | null;
  sourcePostsCount: number | null;
  sourceFollowersCount: number | null;
  sourceFollowsCount: number | null;
  targetDid: string;
  targetHandle: string | null;
  targetDisplayName: string | null;
  targetAvatar: string | null;
  targetPostsCount: number | null;
  targetFollowersCount: number | null;
  targetFollowsCount: number | null;
}

/** An actor in an export's scope (GEXF / GraphML nodes). */
export interface ExportNode {
  did: string;
  handle: string | null;
  displayName: string | null;
  followersCount: number | null;
  pagerank: number | null;
  community: number | null;
  member: boolean;
}

interface ExportScope {
  readonly hashtag: string;
  readonly scope: Scope;
}

const HASHTAG_EXISTS = `OPTIONAL MATCH (h:Hashtag {name: $hashtag}) RETURN h IS NOT NULL AS exists`;

export async function hashtagExists(db: GraphDatabase, hashtag: string): Promise<boolean> {
  const rows = await db.read<{ exists: boolean }>(HASHTAG_EXISTS, { hashtag });
  return rows[0]?.exists === true;
}

// Members are sorted first (few), then each member's follows: the planner finishes the job with a
// partial sort on the target handle instead of sorting every edge at once. Handles are unique in
// practice but not by constraint (a handle moves between accounts), so DIDs settle any tie.
const FOLLOW_ROWS = `
${MATCH_MEMBERS}
WITH h, a ORDER BY a.handle, a.did
MATCH (a)-[:FOLLOWS]->(b:Actor)
${FOLLOW_TARGET_IN_SCOPE}
RETURN a.did AS sourceDid, a.handle AS sourceHandle, a.avatar AS sourceAvatar,
       a.postsCount AS sourcePostsCount, a.followersCount AS sourceFollowersCount, a.followsCount AS sourceFollowsCount,
       b.did AS targetDid, b.handle AS targetHandle, b.displayName AS targetDisplayName, b.avatar AS targetAvatar,
       b.postsCount AS targetPostsCount, b.followersCount AS targetFollowersCount, b.followsCount AS targetFollowsCount
ORDER BY a.handle, a.did, b.handle, b.did`;

/** CSV rows, ordered by source handle, target handle (then DIDs). */
export function streamFollowRows(db: GraphDatabase, s: ExportScope): AsyncGenerator<FollowRow> {
  return db.stream<FollowRow>(FOLLOW_ROWS, scopeParams(s.hashtag, s.scope), EXPORT_TIMEOUT_MS);
}

// pagerank and community are the hashtag's scores as computeScores wrote them on the membership
// (never computed by the export): members without a written score, and non-members, carry none.
const NODE_FIELDS = `
OPTIONAL MATCH (a)-[p:POSTED_WITH]->(h)
RETURN a.did AS did, a.handle AS handle, a.displayName AS displayName, a.followersCount AS followersCount,
       p.pagerank AS pagerank, p.community AS community, p IS NOT NULL AS member
ORDER BY did`;

const SCOPE_NODES = {
  COMMUNITY: `${matchScopeActors('COMMUNITY')}\n${NODE_FIELDS}`,
  ALL: `${matchScopeActors('ALL')}\n${NODE_FIELDS}`,
} as const;

/** GEXF/GraphML nodes, ordered by DID. */
export function streamExportNodes(db: GraphDatabase, s: ExportScope): AsyncGenerator<ExportNode> {
  return db.stream<ExportNode>(SCOPE_NODES[s.scope], { hashtag: s.hashtag }, EXPORT_TIMEOUT_MS);
}

const EDGES = `
${MATCH_MEMBERS}
WITH h, a ORDER BY a.did
MATCH (a)-[:FOLLOWS]->(b:Actor)
${FOLLOW_TARGET_IN_SCOPE}
RETURN a.did AS source, b.did AS target
ORDER BY source, target`;

/** GEXF/GraphML edges, ordered by source DID, target DID. */
export function streamExportEdges(db: GraphDatabase, s: ExportScope): AsyncGenerator<{ source: string; target: string }> {
  return db.stream(EDGES, scopeParams(s.hashtag, s.scope), EXPORT_TIMEOUT_MS);
}
