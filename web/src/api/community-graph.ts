/**
 * Loads the whole drawn graph of a hashtag in one go: the members (or, with scope ALL, members and
 * everyone they follow) and every FOLLOWS edge among them.
 *
 * `communityGraph(hashtag, scope)` does exactly that in one request. A server without it (the
 * schema answers "Cannot query field") gets the fallback the contract allows: every member through
 * `actors(hashtag)` pages, and the edges through `neighbourhood(…, hashtag)` walks from members not
 * reached yet. That fallback only knows the COMMUNITY scope.
 */
import { ApiError, graphql } from './client.js';
import { COMMUNITY_GRAPH, NEIGHBOURHOOD_WALK } from './operations.js';
import { fetchMembersPage } from './queries.js';
import type { Actor, FollowEdge, Scope, Subgraph } from './types.js';


export interface LoadedGraph extends Subgraph {
  /** How the graph was obtained. */
  readonly source: 'communityGraph' | 'neighbourhood-walk';
  readonly requests: number;
}

/** null until the first load finds out whether the server has `communityGraph`. */
let hasCommunityGraph: boolean | null = null;

export function supportsScopeAll(): boolean | null {
  return hasCommunityGraph;
}

function isUnknownField(err: unknown, field: string): boolean {
  return err instanceof ApiError && err.code === 'BAD_USER_INPUT' && err.message.includes(`"${field}"`) && /cannot query field/i.test(err.message);
}

export async function loadCommunityGraph(hashtag: string, scope: Scope, signal?: AbortSignal): Promise<LoadedGraph> {
  if (hasCommunityGraph !== false) {
    try {
      const data = await graphql<{ communityGraph: Subgraph }>(COMMUNITY_GRAPH, { hashtag, scope }, signal);
      hasCommunityGraph = true;
      return { ...data.communityGraph, source: 'communityGraph', requests: 1 };
    } catch (err) {
      if (!isUnknownField(err, 'communityGraph')) throw err;
      hasCommunityGraph = false;
    }
  }
  if (scope === 'ALL') {
    throw new ApiError('this server has no communityGraph query, so only the COMMUNITY scope can be drawn', 'UNSUPPORTED', 0);
  }
  return walkCommunity(hashtag, signal);
}


// The API's bounds: actors pages of at most 1,000; neighbourhoods of depth 3 and 5,000 actors.
const MEMBER_PAGE = 1000;
const WALK_DEPTH = 3;
const WALK_LIMIT = 5000;
const MAX_WALKS = 25;

async function walkCommunity(hashtag: string, signal?: AbortSignal): Promise<LoadedGraph> {
  let requests = 0;
  const members: Actor[] = [];
  let after: string | null = null;
  do {
    const p = await fetchMembersPage({ hashtag, first: MEMBER_PAGE, after }, signal);
    requests++;
    members.push(...p.actors);
    after = p.hasNextPage ? p.endCursor : null;
  } while (after);

  // A walk returns every FOLLOWS among the actors it reached, so one walk per weakly connected
  // part of the community finds all its edges (as long as the part is within 3 hops and 5,000 actors).
  const isMember = new Set(members.map((m) => m.did));
  const reached = new Set<string>();
  const edgeKeys = new Set<string>();
  const edges: FollowEdge[] = [];
  let truncated = false;
  let walks = 0;
  for (const start of members) {
    if (reached.has(start.did)) continue;
    if (walks >= MAX_WALKS) {
      truncated = true;
      break;
    }
    const data = await graphql<{ neighbourhood: { nodes: Array<{ did: string }>; edges: FollowEdge[]; truncated: boolean } }>(
      NEIGHBOURHOOD_WALK,
      { actor: start.did, hashtag, depth: WALK_DEPTH, limit: WALK_LIMIT },
      signal,
    );
    walks++;
    requests++;
    truncated ||= data.neighbourhood.truncated;
    for (const n of data.neighbourhood.nodes) reached.add(n.did);
    for (const e of data.neighbourhood.edges) {
      const key = `${e.source}\n${e.target}`;
      if (!isMember.has(e.source) || !isMember.has(e.target) || edgeKeys.has(key)) continue;
      edgeKeys.add(key);
      edges.push(e);
    }
  }
  return { nodes: members, edges, truncated, source: 'neighbourhood-walk', requests };
}
