/**
 * Loads the whole drawn graph of a hashtag in one request: the members (or, with scope ALL, members
 * and everyone they follow) and every FOLLOWS edge among them, through `communityGraph`.
 */
import { graphql } from './client.js';
import { COMMUNITY_GRAPH } from './operations.js';
import type { Scope, Subgraph } from './types.js';

export async function loadCommunityGraph(hashtag: string, scope: Scope, signal?: AbortSignal): Promise<Subgraph> {
  const data = await graphql<{ communityGraph: Subgraph }>(COMMUNITY_GRAPH, { hashtag, scope }, signal);
  return data.communityGraph;
}
