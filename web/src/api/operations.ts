/**
 * Every GraphQL document the graph view sends, in one place, so a test can validate them against
 * the committed schema.graphql (test/e2e/graph-view-operations.test.ts). Pure strings: no DOM.
 */

/** What a node needs: its label, panel and the analytics stored for the hashtag in view. */
export const ACTOR_FIELDS = `
fragment ViewActor on Actor {
  did handle displayName avatar followersCount followsCount postsCount
  pagerank(hashtag: $hashtag) community(hashtag: $hashtag)
}`;

export const HASHTAGS = `query Hashtags { hashtags { name members follows } }`;

export const CENTRALITY = `
query Centrality($metric: CentralityMetric!, $hashtag: String, $scope: Scope, $first: Int) {
  centrality(metric: $metric, hashtag: $hashtag, scope: $scope, first: $first) { actor { did } score rank }
}`;

export const MUTUAL_FOLLOWS = `
query Mutuals($actor: String!, $hashtag: String, $first: Int) {
  mutualFollows(actor: $actor, hashtag: $hashtag, first: $first) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ...ViewActor }
  }
}
${ACTOR_FIELDS}`;


export const EXPORT = `
mutation Export($input: ExportInput!) { exportCsv(input: $input) { id url rows bytes } }`;

/**
 * The whole drawn graph in one request. Edges come as `edgeIndex` (flat pairs of positions in
 * `nodes`), a tenth of the bytes of `edges { source target }` and no DID strings to parse;
 * `graphVersion` keys the browser's layout cache (web/src/view/layout-cache.ts).
 */
export const COMMUNITY_GRAPH = `
query CommunityGraph($hashtag: String!, $scope: Scope, $limit: Int) {
  communityGraph(hashtag: $hashtag, scope: $scope, limit: $limit) {
    nodes { ...ViewActor }
    edgeIndex
    graphVersion
    truncated
  }
}
${ACTOR_FIELDS}`;

/** Names and members of the communities (after the first frame: a cold computation takes seconds). */
export const COMMUNITY_NAMES = `
query CommunityNames($hashtag: String!, $algorithm: CommunityAlgorithm) {
  communities(hashtag: $hashtag, algorithm: $algorithm) { id size label keywords memberDids coreNumbers }
}`;

export const SUGGEST_FOLLOWS = `
query SuggestFollows($actor: String!, $hashtag: String!, $first: Int) {
  suggestFollows(actor: $actor, hashtag: $hashtag, first: $first) { actor { ...ViewActor } score followedByYourFollows }
}
${ACTOR_FIELDS}`;

/** What the drawn graph omits (shown under the legend). */
export const COMPLETENESS = `
query Completeness($hashtag: String!) {
  completeness(hashtag: $hashtag, sample: 0) {
    members membersWithoutProfile membersShort followsGap listedShare
    lastRun { searchCapHit searchWindows incompleteFollowLists }
  }
}`;

/** What the watcher commits for the drawn hashtag, pushed over graphql-ws (web/src/view/live-updates.ts). */
export const GRAPH_CHANGES = `
subscription GraphChanges($hashtag: String!) {
  graphChanges(hashtag: $hashtag) { kind followsAdded { source target } followsRemoved { source target } newMembers runId }
}`;

/** A new member's node. */
export const ACTOR = `
query Actor($did: String!, $hashtag: String) { actor(handleOrDid: $did) { ...ViewActor } }
${ACTOR_FIELDS}`;

/** Days on which members joined or follows were made: the time slider's steps. */
export const GROWTH_DAYS = `
query GrowthDays($hashtag: String!) { growth(hashtag: $hashtag, interval: DAY) { start members } }`;

/** Who was there at an instant (undated follows kept: an AppView crawl dates none). */
export const GRAPH_AS_OF = `
query GraphAsOf($hashtag: String!, $asOf: String!) {
  communityGraph(hashtag: $hashtag, asOf: $asOf, includeUndated: true) { nodes { did } edgeIndex }
}`;

export const OPERATIONS = { GROWTH_DAYS, GRAPH_AS_OF, GRAPH_CHANGES, ACTOR, HASHTAGS, CENTRALITY, MUTUAL_FOLLOWS, EXPORT, COMMUNITY_GRAPH, COMMUNITY_NAMES, SUGGEST_FOLLOWS, COMPLETENESS } as const;
