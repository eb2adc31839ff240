/** The vocabulary shared by the analytics service, its engines and the GraphQL layer. */
export type CentralityMetric = 'PAGERANK' | 'BETWEENNESS' | 'DEGREE' | 'IN_DEGREE' | 'OUT_DEGREE' | 'CLOSENESS';
export type Scope = 'COMMUNITY' | 'ALL';

export const CENTRALITY_METRICS: readonly CentralityMetric[] = ['PAGERANK', 'BETWEENNESS', 'DEGREE', 'IN_DEGREE', 'OUT_DEGREE', 'CLOSENESS'];
export const SCOPES: readonly Scope[] = ['COMMUNITY', 'ALL'];

export interface RankedDid {
  did: string;
  score: number;
  /** 1-based, distinct: ties are broken by handle, then DID. */
  rank: number;
}

export interface CommunityGroup {
  id: number;
  size: number;
  /** DIDs, by pagerank desc (ties as in RankedDid). */
  topMembers: string[];
}

/**
 * Which part of the graph an algorithm runs on. `hashtag: null` is the whole graph (every Actor and
 * FOLLOWS). With a hashtag, COMMUNITY is its members and the FOLLOWS among them; ALL adds everyone the
 * members follow, with the members' FOLLOWS to them (follows *of* non-members are never in scope).
 */
export interface GraphScope {
  readonly hashtag: string | null;
  readonly scope: Scope;
}

/** One actor's score, before ranking. */
export interface ScoredActor {
  did: string;
  handle: string | null;
  score: number;
}
