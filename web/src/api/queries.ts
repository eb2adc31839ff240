/** The graph view's operations, one function each, typed at the boundary. */
import { graphql } from './client.js';
import { ACTOR, CENTRALITY, GRAPH_AS_OF, GROWTH_DAYS, COMMUNITY_NAMES, COMPLETENESS, EXPORT, HASHTAGS, MUTUAL_FOLLOWS, SUGGEST_FOLLOWS } from './operations.js';
import type { Actor, ActorPage, CentralityMetric, CommunityAlgorithm, Completeness, CsvExport, GraphAsOf, GrowthDay, MaybeActor, ExportFormat, HashtagStats, RankedActor, Scope, ServerCommunity, Suggestion } from './types.js';

export async function fetchHashtags(signal?: AbortSignal): Promise<HashtagStats[]> {
  const data = await graphql<{ hashtags: HashtagStats[] }>(HASHTAGS, {}, signal);
  return data.hashtags;
}

export async function fetchCentrality(
  args: { metric: CentralityMetric; hashtag: string; scope: Scope; first: number },
  signal?: AbortSignal,
): Promise<RankedActor[]> {
  const data = await graphql<{ centrality: RankedActor[] }>(CENTRALITY, args, signal);
  return data.centrality;
}

interface Connection {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: Actor[];
}

function page(c: Connection): ActorPage {
  return { totalCount: c.totalCount, actors: c.nodes, hasNextPage: c.pageInfo.hasNextPage, endCursor: c.pageInfo.endCursor };
}

export async function fetchMutualFollows(args: { actor: string; hashtag: string | null; first: number }, signal?: AbortSignal): Promise<ActorPage> {
  const data = await graphql<{ mutualFollows: Connection }>(MUTUAL_FOLLOWS, args, signal);
  return page(data.mutualFollows);
}

export async function requestExport(input: { hashtag: string; scope: Scope; format: ExportFormat }): Promise<CsvExport> {
  const data = await graphql<{ exportCsv: CsvExport }>(EXPORT, { input });
  return data.exportCsv;
}

export async function fetchCommunityNames(args: { hashtag: string; algorithm: CommunityAlgorithm }, signal?: AbortSignal): Promise<ServerCommunity[]> {
  const data = await graphql<{ communities: ServerCommunity[] }>(COMMUNITY_NAMES, args, signal);
  return data.communities;
}

export async function fetchSuggestions(args: { actor: string; hashtag: string; first: number }, signal?: AbortSignal): Promise<Suggestion[]> {
  const data = await graphql<{ suggestFollows: Suggestion[] }>(SUGGEST_FOLLOWS, args, signal);
  return data.suggestFollows;
}

export async function fetchCompleteness(hashtag: string, signal?: AbortSignal): Promise<Completeness> {
  const data = await graphql<{ completeness: Completeness }>(COMPLETENESS, { hashtag }, signal);
  return data.completeness;
}

export async function fetchActor(did: string, hashtag: string, signal?: AbortSignal): Promise<MaybeActor> {
  const data = await graphql<{ actor: MaybeActor }>(ACTOR, { did, hashtag }, signal);
  return data.actor;
}

export async function fetchGrowthDays(hashtag: string, signal?: AbortSignal): Promise<GrowthDay[]> {
  const data = await graphql<{ growth: GrowthDay[] }>(GROWTH_DAYS, { hashtag }, signal);
  return data.growth;
}

export async function fetchGraphAsOf(hashtag: string, asOf: string, signal?: AbortSignal): Promise<GraphAsOf> {
  const data = await graphql<{ communityGraph: GraphAsOf }>(GRAPH_AS_OF, { hashtag, asOf }, signal);
  return data.communityGraph;
}
