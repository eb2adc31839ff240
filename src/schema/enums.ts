/**
 * GraphQL enums. Values are the wire names of the API contract; keep them stable. The ones the
 * services also use (metrics, scopes, formats, run status and stage) are built from their one list
 * in src/core/, so the API and the services cannot drift apart and need no casts between them.
 */
import { registerEnumType } from 'type-graphql';
import { CENTRALITY_METRICS, type CentralityMetric as CentralityMetricValue } from '../core/centrality.js';
import { COMMUNITY_ALGORITHMS, type CommunityAlgorithm as CommunityAlgorithmValue } from '../core/community-algorithm.js';
import { EXPORT_FORMATS, type ExportFormat as ExportFormatValue } from '../core/export-format.js';
import { INGEST_STAGES, INGEST_STATUSES, type IngestStage as IngestStageValue, type IngestStatus as IngestStatusValue } from '../core/ingest-run.js';
import { SCOPES, type Scope as ScopeValue } from '../core/scope.js';
import { GROWTH_INTERVALS, type GrowthInterval as GrowthIntervalValue } from '../core/time-buckets.js';

/** `['A', 'B']` → `{ A: 'A', B: 'B' }`: the object registerEnumType and `Enum.A` read. */
function enumObject<T extends string>(values: readonly T[]): { readonly [K in T]: K } {
  return Object.freeze(Object.fromEntries(values.map((v) => [v, v]))) as { readonly [K in T]: K };
}

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
  description: 'Which FOLLOWS edges to walk from an actor.',
  valuesConfig: {
    OUT: { description: 'Along FOLLOWS: whom the actor follows.' },
    IN: { description: 'Against FOLLOWS: who follows the actor.' },
    BOTH: { description: 'Either way.' },
  },
});

export const CentralityMetric = enumObject(CENTRALITY_METRICS);
export type CentralityMetric = CentralityMetricValue;
registerEnumType(CentralityMetric, {
  name: 'CentralityMetric',
  description: 'A centrality of the follow graph, computed by GDS on the server or in-process (same parameters).',
  valuesConfig: {
    PAGERANK: { description: 'PageRank over FOLLOWS (damping 0.85): followed by well-followed actors.' },
    BETWEENNESS: { description: 'Betweenness (Brandes): how many shortest paths pass through the actor; bridges between groups.' },
    DEGREE: { description: 'Follows plus followers within the scope.' },
    IN_DEGREE: { description: 'Followers within the scope.' },
    OUT_DEGREE: { description: 'Follows within the scope.' },
    CLOSENESS: { description: 'Closeness (Wasserman–Faust, for graphs that are not connected): how near the actor is to everyone it reaches.' },
  },
});

export const Scope = enumObject(SCOPES);
export type Scope = ScopeValue;
registerEnumType(Scope, {
  name: 'Scope',
  description: 'Which part of the graph a question is about.',
  valuesConfig: {
    COMMUNITY: { description: 'Members of the hashtag and the FOLLOWS edges among them.' },
    ALL: { description: 'Members, everyone they follow, and those FOLLOWS edges (the crawled neighbourhood).' },
  },
});

export const Interval = enumObject(GROWTH_INTERVALS);
export type Interval = GrowthIntervalValue;
registerEnumType(Interval, {
  name: 'Interval',
  description: 'Width of the buckets of a growth series (UTC calendar).',
  valuesConfig: {
    DAY: { description: 'One bucket per day.' },
    WEEK: { description: 'One bucket per ISO week, starting on Monday.' },
    MONTH: { description: 'One bucket per calendar month.' },
  },
});

/** Wire names upper-case; the values are core's FollowsFrom (src/core/follows-source.ts). */
export enum FollowsSource {
  APPVIEW = 'appview',
  REPO = 'repo',
}
registerEnumType(FollowsSource, {
  name: 'FollowsSource',
  description: "Where an ingest reads members' follows.",
  valuesConfig: {
    APPVIEW: { description: "The AppView's getFollows: followed profiles included, no follow-record keys or dates." },
    REPO: { description: "com.atproto.repo.listRecords on each member's PDS: every edge with its record's rkey and createdAt (one budget per PDS host)." },
  },
});

export const ExportFormat = enumObject(EXPORT_FORMATS);
export type ExportFormat = ExportFormatValue;
registerEnumType(ExportFormat, {
  name: 'ExportFormat',
  description: 'File format of an export.',
  valuesConfig: {
    CSV: { description: 'One row per FOLLOWS edge (RFC 4180), the columns community researchers load into their visualisers.' },
    GEXF: { description: 'GEXF 1.3 for Gephi: nodes with profile fields and stored scores, directed edges.' },
    GRAPHML: { description: 'GraphML for yEd, Cytoscape, NetworkX and igraph.' },
  },
});

export enum ExportColumn {
  DIDS = 'DIDS',
  TARGET_PROFILE = 'TARGET_PROFILE',
}
registerEnumType(ExportColumn, {
  name: 'ExportColumn',
  description: 'Optional CSV columns beyond the default ones.',
  valuesConfig: {
    DIDS: { description: 'source_did and target_did columns.' },
    TARGET_PROFILE: { description: "The target's avatar and counts, like the source_* columns." },
  },
});

export const IngestStatus = enumObject(INGEST_STATUSES);
export type IngestStatus = IngestStatusValue;
registerEnumType(IngestStatus, {
  name: 'IngestStatus',
  description: 'Where an ingest run is in its lifecycle.',
  valuesConfig: {
    RUNNING: { description: 'From its creation until it ends: a run is never queued.' },
    SUCCEEDED: { description: 'Ran to its end.' },
    FAILED: { description: 'Stopped by an error or because its process died; `error` says why. The newest run of a hashtag can be resumed.' },
    CANCELLED: { description: 'Stopped on request. The newest run of a hashtag can be resumed.' },
  },
});

export const IngestStage = enumObject(INGEST_STAGES);
export type IngestStage = IngestStageValue;
registerEnumType(IngestStage, {
  name: 'IngestStage',
  description: 'What a running ingest is doing (its last stage once it ended).',
  valuesConfig: {
    SEARCH: { description: 'Paging through posts with the hashtag to find its members.' },
    FOLLOWS: { description: "Fetching each member's profile and follow list (profiles have no stage of their own)." },
    FINALISE: { description: 'Pruning what the crawl did not see again (members who left, follows no longer listed) and settling the totals.' },
    DONE: { description: 'The crawl ran to its end (a SUCCEEDED run).' },
  },
});

export const CommunityAlgorithm = enumObject(COMMUNITY_ALGORITHMS);
export type CommunityAlgorithm = CommunityAlgorithmValue;
registerEnumType(CommunityAlgorithm, {
  name: 'CommunityAlgorithm',
  description: 'How communities are found. Both maximise modularity over follows read as undirected ties.',
  valuesConfig: {
    LOUVAIN: { description: 'Louvain (the default): runs from memory on any server; a community may be internally disconnected.' },
    LEIDEN: { description: 'Leiden: refines communities so every one is connected. Needs the GDS plugin.' },
  },
});
