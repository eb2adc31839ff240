/** Which part of the graph a question (centrality, communities, an export) is asked about. */
export const SCOPES = ['COMMUNITY', 'ALL'] as const;
export type Scope = (typeof SCOPES)[number];

/**
 * `hashtag: null` is the whole graph (every Actor and FOLLOWS). With a hashtag, COMMUNITY is its
 * members and the FOLLOWS among them; ALL adds everyone the members follow, with the members'
 * FOLLOWS to them (follows *of* non-members are never in scope).
 */
export interface GraphScope {
  readonly hashtag: string | null;
  readonly scope: Scope;
}
