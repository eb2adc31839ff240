/** What the centrality service needs from an engine: raw scores and raw community labels for a scope. */
import type { CentralityMetric } from '../core/centrality.js';
import type { CommunityAlgorithm } from '../core/community-algorithm.js';
import type { GraphScope } from '../core/scope.js';
import type { FollowGraph } from './follow-graph.js';
import type { ScoredActor } from './types.js';

export type EngineName = 'gds' | 'graphology';

export interface AnalyticsEngine {
  readonly name: EngineName;
  /** One entry per actor in scope; PageRank normalised to sum to 1. */
  scores(metric: CentralityMetric, scope: GraphScope): Promise<ScoredActor[]>;
  /** DID → community label (engine-specific numbering; the service canonicalises it). */
  communities(scope: GraphScope, algorithm?: CommunityAlgorithm): Promise<Map<string, number>>;
}

/**
 * A scope's graph already held in memory (the server's read model), or null when none is current:
 * then the engine reads the scope from Neo4j as usual.
 */
export interface ScopeGraphSource {
  scopeGraph(scope: GraphScope): Promise<FollowGraph | null>;
}
