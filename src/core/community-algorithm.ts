/** Community detection algorithms the API offers. */
export const COMMUNITY_ALGORITHMS = ['LOUVAIN', 'LEIDEN'] as const;
export type CommunityAlgorithm = (typeof COMMUNITY_ALGORITHMS)[number];
