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
