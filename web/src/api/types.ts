/**
 * Wire types of the project's GraphQL API as the graph view reads them: named views of the types
 * GraphQL Code Generator derives from schema.graphql and web/src/api/operations.ts (generated.ts),
 * so a schema change that breaks the view fails `npm run typecheck` instead of a user's browser.
 */
import type { GraphAsOfQuery, GrowthDaysQuery, ActorQuery, GraphChangesSubscription, CentralityQuery, CommunityGraphQuery, CommunityNamesQuery, CompletenessQuery, ExportMutation, HashtagsQuery, SuggestFollowsQuery, ViewActorFragment } from './generated.js';

export type { CentralityMetric, CommunityAlgorithm, ExportFormat, Scope } from './generated.js';

export type Actor = ViewActorFragment;
export type Subgraph = CommunityGraphQuery['communityGraph'];
export type HashtagStats = HashtagsQuery['hashtags'][number];
export type RankedActor = CentralityQuery['centrality'][number];
export type CsvExport = ExportMutation['exportCsv'];
export type ServerCommunity = CommunityNamesQuery['communities'][number];
export type Suggestion = SuggestFollowsQuery['suggestFollows'][number];
export type Completeness = CompletenessQuery['completeness'];
export type GraphChange = GraphChangesSubscription['graphChanges'];
export type MaybeActor = ActorQuery['actor'];
export type GrowthDay = GrowthDaysQuery['growth'][number];
export type GraphAsOf = GraphAsOfQuery['communityGraph'];

/** One page of an actor connection, as the view keeps it (not a wire shape). */
export interface ActorPage {
  readonly totalCount: number;
  readonly actors: Actor[];
  readonly hasNextPage: boolean;
  readonly endCursor: string | null;
}
