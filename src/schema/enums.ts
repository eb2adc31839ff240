/** GraphQL enums. Values are the wire names of DESIGN.md's contract; keep them stable. */
import { registerEnumType } from 'type-graphql';

export enum ActorOrder {
  FOLLOWERS = 'FOLLOWERS',
  PAGERANK = 'PAGERANK',
  HANDLE = 'HANDLE',
}
registerEnumType(ActorOrder, {
  name: 'ActorOrder',
  description: 'Sort order of an actor list; ties are broken by DID so pages never overlap.',
  valuesConfig: {
    FOLLOWERS: { description: 'Bluesky follower count (profile), highest first; actors without a profile last.' },
    PAGERANK: { description: 'Stored PageRank, highest first; actors without a score last.' },
    HANDLE: { description: 'Handle, A to Z.' },
  },
});

export enum Direction {
  OUT = 'OUT',
  IN = 'IN',
  BOTH = 'BOTH',
}
registerEnumType(Direction, {
  name: 'Direction',
  valuesConfig: {
    OUT: { description: 'Along FOLLOWS: whom the actor follows.' },
    IN: { description: 'Against FOLLOWS: who follows the actor.' },
    BOTH: { description: 'Either way.' },
  },
});

export enum CentralityMetric {
  PAGERANK = 'PAGERANK',
  BETWEENNESS = 'BETWEENNESS',
  DEGREE = 'DEGREE',
  IN_DEGREE = 'IN_DEGREE',
  OUT_DEGREE = 'OUT_DEGREE',
  CLOSENESS = 'CLOSENESS',
}
registerEnumType(CentralityMetric, { name: 'CentralityMetric' });

export enum Scope {
  COMMUNITY = 'COMMUNITY',
  ALL = 'ALL',
}
registerEnumType(Scope, {
  name: 'Scope',
  valuesConfig: {
    COMMUNITY: { description: 'Members of the hashtag and the FOLLOWS edges among them.' },
    ALL: { description: 'Members, everyone they follow, and those FOLLOWS edges (the crawled neighbourhood).' },
  },
});

export enum ExportFormat {
  CSV = 'CSV',
  GEXF = 'GEXF',
  GRAPHML = 'GRAPHML',
}
registerEnumType(ExportFormat, { name: 'ExportFormat' });

export enum ExportColumn {
  DIDS = 'DIDS',
  TARGET_PROFILE = 'TARGET_PROFILE',
}
registerEnumType(ExportColumn, {
  name: 'ExportColumn',
  valuesConfig: {
    DIDS: { description: 'source_did and target_did columns.' },
    TARGET_PROFILE: { description: "The target's avatar and counts, like the source_* columns." },
  },
});

export enum IngestStatus {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(IngestStatus, { name: 'IngestStatus' });

export enum IngestStage {
  SEARCH = 'SEARCH',
  PROFILES = 'PROFILES',
  FOLLOWS = 'FOLLOWS',
  FINALISE = 'FINALISE',
  DONE = 'DONE',
}
registerEnumType(IngestStage, { name: 'IngestStage' });
