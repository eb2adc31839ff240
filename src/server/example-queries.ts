/** What Apollo Sandbox opens with: one named operation per thing users come for. */
export const EXAMPLE_DOCUMENT = `# Pick an operation to run. Handles from the demo community (#databs, seed 1) work as they are.

query Hashtags {
  hashtags { name members follows lastIngestAt }
}

query TopByPageRank {
  centrality(metric: PAGERANK, hashtag: "databs", scope: COMMUNITY, first: 10) {
    rank score actor { handle displayName followersCount community }
  }
}

query Communities {
  communities(hashtag: "databs") { id size topMembers { handle displayName } }
}

query Actor {
  actor(handleOrDid: "maya-perez.devnet.test") {
    did handle displayName followersCount followsCount postsCount pagerank profileUrl
    mutuals(first: 10) { totalCount edges { node { handle } } }
  }
}

query MutualFollows {
  mutualFollows(actor: "maya-perez.devnet.test", hashtag: "databs", first: 20) {
    totalCount edges { node { handle displayName } }
  }
}

query Neighbourhood {
  neighbourhood(actor: "maya-perez.devnet.test", depth: 2, direction: BOTH, hashtag: "databs", limit: 200) {
    truncated nodes { handle } edges { source target }
  }
}

query Relationship {
  relationship(a: "maya-perez.devnet.test", b: "wei-okafor.devnet.test") { aFollowsB bFollowsA shortestPathLength }
}

query IngestRuns {
  ingestRuns(first: 5) { id hashtag status stage startedAt finishedAt error }
}

mutation ExportCsv {
  exportCsv(input: { hashtag: "databs", scope: ALL, format: CSV }) { id url rows bytes }
}

mutation StartIngest {
  startIngest(input: { hashtag: "databs" }) { id status stage }
}
`;
