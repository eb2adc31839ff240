/** Every resolver class of the API, for buildSchema. */
import { ActorResolver } from './actor-resolver.js';
import { AnalyticsResolver } from './analytics-resolver.js';
import { CommunityGraphResolver } from './community-graph-resolver.js';
import { CommunityInsightsResolver } from './community-insights-resolver.js';
import { CompletenessResolver } from './completeness-resolver.js';
import { ActorConnectionResolver } from './connection-resolver.js';
import { ExportResolver } from './export-resolver.js';
import { GrowthResolver } from './growth-resolver.js';
import { HashtagResolver } from './hashtag-resolver.js';
import { IngestResolver } from './ingest-resolver.js';
import { OverlapResolver } from './overlap-resolver.js';
import { RelationshipResolver } from './relationship-resolver.js';
import { SubgraphResolver } from './subgraph-resolver.js';
import { SubscriptionResolver } from './subscription-resolver.js';
import { WatchResolver } from './watch-resolver.js';

export const RESOLVERS = [
  ActorResolver,
  ActorConnectionResolver,
  RelationshipResolver,
  CommunityGraphResolver,
  SubgraphResolver,
  AnalyticsResolver,
  CommunityInsightsResolver,
  HashtagResolver,
  GrowthResolver,
  OverlapResolver,
  IngestResolver,
  CompletenessResolver,
  WatchResolver,
  SubscriptionResolver,
  ExportResolver,
] as const;
