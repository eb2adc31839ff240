/** The graph view's operations, one function each, typed at the boundary. */
import { graphql } from './client.js';
import type { Actor, ActorPage, CentralityMetric, CsvExport, ExportFormat, HashtagStats, RankedActor, Scope } from './types.js';

export const ACTOR_FIELDS = `
fragment ViewActor on Actor {
  did handle displayName avatar followersCount followsCount postsCount pagerank community
}`;

const HASHTAGS = `query Hashtags { hashtags { name members follows } }`;

export async function fetchHashtags(signal?: AbortSignal): Promise<HashtagStats[]> {
  const data = await graphql<{ hashtags: HashtagStats[] }>(HASHTAGS, {}, signal);
  return data.hashtags;
}

const CENTRALITY = `
query Centrality($metric: CentralityMetric!, $hashtag: String, $scope: Scope, $first: Int) {
  centrality(metric: $metric, hashtag: $hashtag, scope: $scope, first: $first) { actor { did } score rank }
}`;

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

const MUTUALS = `
query Mutuals($actor: String!, $hashtag: String, $first: Int) {
  mutualFollows(actor: $actor, hashtag: $hashtag, first: $first) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ...ViewActor }
  }
}
${ACTOR_FIELDS}`;

export async function fetchMutualFollows(args: { actor: string; hashtag: string | null; first: number }, signal?: AbortSignal): Promise<ActorPage> {
  const data = await graphql<{ mutualFollows: Connection }>(MUTUALS, args, signal);
  return page(data.mutualFollows);
}

const ACTORS = `
query Members($hashtag: String, $first: Int, $after: String) {
  actors(hashtag: $hashtag, first: $first, after: $after, orderBy: PAGERANK) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ...ViewActor }
  }
}
${ACTOR_FIELDS}`;

export async function fetchMembersPage(args: { hashtag: string; first: number; after: string | null }, signal?: AbortSignal): Promise<ActorPage> {
  const data = await graphql<{ actors: Connection }>(ACTORS, args, signal);
  return page(data.actors);
}

const EXPORT = `
mutation Export($input: ExportInput!) { exportCsv(input: $input) { id url rows bytes } }`;

export async function requestExport(input: { hashtag: string; scope: Scope; format: ExportFormat }): Promise<CsvExport> {
  const data = await graphql<{ exportCsv: CsvExport }>(EXPORT, { input });
  return data.exportCsv;
}
