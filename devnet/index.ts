/** The local AT Protocol peer: synthetic communities, their ground truth, and an XRPC server. */
export {
  generateCommunity,
  renameHandles,
  resolveCommunityOptions,
  DEFAULT_COMMUNITY,
  type Community,
  type CommunityOptions,
  type CrawlerAccount,
  type DevnetActor,
  type DevnetPost,
  type ResolvedCommunityOptions,
} from './community.js';
export {
  groundTruth,
  memberIndexes,
  rMin,
  rMinFor,
  searchPagesFor,
  searchResultCount,
  FollowEdges,
  DEFAULT_SEARCH_CAP,
  MAX_SEARCH_LIMIT,
  MAX_FOLLOWS_LIMIT,
  MAX_PROFILES_PER_CALL,
  type ActorTruth,
  type GroundTruth,
  type SearchLimits,
} from './ground-truth.js';
export { carriesTag, TAG_FEATURE, type Facet, type SearchMatchMode } from './hashtag-match.js';
export { followsOf, followCount, type FollowGraph } from './follow-graph.js';
export { mulberry32, rngFor, type Rng } from './prng.js';
export type { PostVariant } from './post-text.js';
export { parseFaults, type Faults, type FaultTarget } from './faults.js';
export type { RateLimit } from './rate-limit.js';
export type { DevnetStats } from './stats.js';
export {
  startDevnet,
  DEFAULT_PASSWORD,
  DEFAULT_RATE_LIMIT,
  DEFAULT_CREATE_SESSION_LIMITS,
  type Devnet,
  type DevnetOptions,
} from './server.js';
export { plantGroups, TOPICS, BRIDGE_SHARE, IN_GROUP_SHARE, type PlantedGroups, type Topic } from './topic-groups.js';
export { normalizedMutualInformation } from './partition-score.js';
export { writeTruthDump, type TruthDumpSummary } from './truth-dump.js';
export { runDevnetCli, type DevnetCliOptions } from './cli.js';
export * from './live/index.js';
