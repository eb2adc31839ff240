/**
 * What a researcher asks of a hashtag's communities beyond who is in them: their names, their
 * representatives, their structure, who bridges them, and whom a member might follow. Computed on
 * the hashtag's COMMUNITY graph (from the read model when it is current, else streamed from Neo4j)
 * and the partition CentralityService found; answers are cached per graph version.
 */
import type { GraphDatabase } from '../graph/database.js';
import { readQuestionState } from '../graph/analytics-queries.js';
import { readMemberTexts } from '../graph/community-text-queries.js';
import { normaliseHashtag } from '../core/hashtag.js';
import type { CommunityAlgorithm } from '../core/community-algorithm.js';
import type { GraphScope } from '../core/scope.js';
import { findBridges, type Bridge } from './bridges.js';
import { pagerankScores } from './centrality.js';
import type { CentralityService, Partition } from './centrality-service.js';
import { nameCommunities } from './community-labels.js';
import type { ScopeGraphSource } from './engine.js';
import { AnalyticsInputError } from './errors.js';
import { FollowGraphBuilder, handleOf, type FollowGraph } from './follow-graph.js';
import { suggestFollows, type FollowSuggestion } from './follow-suggestions.js';
import { GraphologyEngine } from './graphology-engine.js';
import { coreNumbers, inDegreeDistribution, modularity, structureOf, type DegreeBucket, type Structure } from './graph-structure.js';
import { rankScores } from './ranking.js';
import { VersionedCache } from './versioned-cache.js';

/** Representatives listed per community: its members with the highest PageRank inside it. */
export const REPRESENTATIVES = 5;

export interface CommunityProfile {
  readonly id: number;
  readonly size: number;
  /** By PageRank over the whole hashtag, as CentralityService lists them. */
  readonly topMembers: readonly string[];
  readonly label: string | null;
  readonly keywords: readonly string[];
  readonly representatives: readonly string[];
  readonly structure: Structure;
}

export interface CommunityReport {
  /** The partition the report describes. */
  readonly partition: Partition;
  readonly hashtag: string;
  readonly algorithm: CommunityAlgorithm;
  readonly graphVersion: number;
  readonly modularity: number;
  readonly structure: Structure;
  readonly inDegree: readonly DegreeBucket[];
  /** Largest first, as `communities` lists them. */
  readonly communities: readonly CommunityProfile[];
  /** DID → core number over the hashtag's ties. */
  readonly cores: ReadonlyMap<string, number>;
}

type PartitionSource = Pick<CentralityService, 'partition'>;

export class CommunityInsights {
  private readonly reports = new VersionedCache<CommunityReport | null>(16);
  private readonly graphs = new VersionedCache<FollowGraph>(4);

  constructor(
    private readonly db: GraphDatabase,
    private readonly partitions: PartitionSource,
    private readonly scopeGraphs?: ScopeGraphSource,
  ) {}

  /** Null for a hashtag the graph does not have. */
  async report(hashtag: string, algorithm?: CommunityAlgorithm): Promise<CommunityReport | null> {
    const tag = normaliseHashtag(hashtag);
    const partition = await this.partitions.partition(tag, algorithm);
    if (!partition) return null;
    return this.reports.get(`${tag} ${partition.algorithm}`, partition.version, () => this.computeReport(tag, partition));
  }

  /** Members of `hashtag` that `did` does not follow, by Adamic–Adar over the hashtag's follows. */
  async suggestFollows(did: string, hashtag: string, first: number): Promise<FollowSuggestion[]> {
    const tag = normaliseHashtag(hashtag);
    const { version, exists } = await readQuestionState(this.db, tag);
    if (!exists) return [];
    const graph = await this.graph(tag, version);
    if (!graph.hasNode(did)) throw new AnalyticsInputError(`${did} is not a member of #${tag}`);
    return suggestFollows(graph, did, first);
  }

  async bridges(hashtag: string, algorithm: CommunityAlgorithm | undefined, first: number): Promise<Array<Bridge & { community: number }>> {
    const tag = normaliseHashtag(hashtag);
    const partition = await this.partitions.partition(tag, algorithm);
    if (!partition) return [];
    const graph = await this.graph(tag, partition.version);
    return findBridges(graph, partition.assignment, first).map((b) => ({ ...b, community: partition.assignment.get(b.did) as number }));
  }

  private graph(hashtag: string, version: number): Promise<FollowGraph> {
    const scope: GraphScope = { hashtag, scope: 'COMMUNITY' };
    return this.graphs.get(hashtag, version, async () => (await this.scopeGraphs?.scopeGraph(scope)) ?? new GraphologyEngine(this.db).load(scope));
  }

  private async computeReport(hashtag: string, partition: Partition): Promise<CommunityReport> {
    const [graph, texts] = await Promise.all([this.graph(hashtag, partition.version), readMemberTexts(this.db, hashtag)]);
    const names = nameCommunities(partition.assignment, texts);
    const membersOf = new Map<number, string[]>();
    for (const [did, id] of partition.assignment) {
      const list = membersOf.get(id);
      if (list) list.push(did);
      else membersOf.set(id, [did]);
    }
    const communities = partition.groups.map((g) => {
      const members = membersOf.get(g.id) ?? [];
      const name = names.get(g.id);
      return {
        id: g.id,
        size: g.size,
        topMembers: g.topMembers,
        label: name?.label ?? null,
        keywords: name?.keywords ?? [],
        representatives: representatives(graph, members),
        structure: structureOf(graph, members),
      };
    });
    const members = [...partition.assignment.keys()];
    return {
      partition,
      hashtag,
      algorithm: partition.algorithm,
      graphVersion: partition.version,
      modularity: modularity(graph, partition.assignment),
      structure: structureOf(graph, members),
      inDegree: inDegreeDistribution(graph, members),
      communities,
      cores: coreNumbers(graph, members),
    };
  }
}

/** The community's own PageRank (on the follows among its members), highest first. */
function representatives(graph: FollowGraph, members: readonly string[]): string[] {
  const inside = new Set(members);
  const builder = new FollowGraphBuilder();
  for (const did of members) if (graph.hasNode(did)) builder.addActor(did, handleOf(graph, did));
  for (const did of members) {
    if (!graph.hasNode(did)) continue;
    graph.forEachOutNeighbor(did, (target) => {
      if (inside.has(target)) builder.addFollow(did, target);
    });
  }
  const sub = builder.build();
  const scored = [...pagerankScores(sub)].map(([did, score]) => ({ did, handle: handleOf(sub, did), score }));
  return rankScores(scored).slice(0, REPRESENTATIVES).map((r) => r.did);
}
