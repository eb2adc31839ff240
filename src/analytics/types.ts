/** Answers of the analytics service and its engines (the metrics and scopes are in src/core/). */
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

/** One actor's score, before ranking. */
export interface ScoredActor {
  did: string;
  handle: string | null;
  score: number;
}
