/**
 * Where an ingest reads members' follows: the AppView's getFollows (followed profiles included, no
 * record keys) or each member's repository (listRecords: rkeys and createdAt, one budget per PDS).
 */
export const FOLLOWS_FROM = ['appview', 'repo'] as const;
export type FollowsFrom = (typeof FOLLOWS_FROM)[number];
