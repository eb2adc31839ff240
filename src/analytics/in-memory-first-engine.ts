/**
 * Computes on the scope graph the server already holds in memory when it is current, and on the
 * configured engine (GDS, or graphology streaming from Neo4j) otherwise. Copying a 1,500-member
 * community out of Neo4j or projecting it into GDS takes seconds; building it from memory takes
 * milliseconds, so a first PageRank or Louvain of a community is interactive. The algorithms are
 * the graphology engine's (same parameters), so answers match that engine exactly.
 */
import { centralityScores, pathMetricWork } from './centrality.js';
import type { AnalyticsEngine, ScopeGraphSource } from './engine.js';
import { handleOf } from './follow-graph.js';
import { louvainCommunities } from './louvain.js';
import type { CentralityMetric } from '../core/centrality.js';
import type { CommunityAlgorithm } from '../core/community-algorithm.js';
import type { GraphScope } from '../core/scope.js';
import type { ScoredActor } from './types.js';

/**
 * All-pairs metrics beyond this much work (≈ nodes × (nodes + edges)) go to the configured engine:
 * GDS runs them in parallel off the event loop, and a server must keep answering meanwhile.
 */
export const IN_MEMORY_MAX_PATH_WORK = 3e8;

export class InMemoryFirstEngine implements AnalyticsEngine {
  /** Runs answered from memory; lets tests prove which path answered without timing anything. */
  inMemoryRuns = 0;

  constructor(
    private readonly source: ScopeGraphSource,
    private readonly configured: AnalyticsEngine,
    private readonly maxPathWork = IN_MEMORY_MAX_PATH_WORK,
  ) {}

  get name(): AnalyticsEngine['name'] {
    return this.configured.name;
  }

  async scores(metric: CentralityMetric, scope: GraphScope): Promise<ScoredActor[]> {
    const graph = await this.source.scopeGraph(scope);
    const pathMetric = metric === 'BETWEENNESS' || metric === 'CLOSENESS';
    if (!graph || (pathMetric && pathMetricWork(graph) > this.maxPathWork)) return this.configured.scores(metric, scope);
    this.inMemoryRuns++;
    return [...centralityScores(graph, metric)].map(([did, score]) => ({ did, handle: handleOf(graph, did), score }));
  }

  async communities(scope: GraphScope, algorithm: CommunityAlgorithm = 'LOUVAIN'): Promise<Map<string, number>> {
    // Leiden runs only in GDS (no JavaScript implementation is maintained).
    if (algorithm === 'LEIDEN') return this.configured.communities(scope, algorithm);
    const graph = await this.source.scopeGraph(scope);
    if (!graph) return this.configured.communities(scope);
    this.inMemoryRuns++;
    return louvainCommunities(graph);
  }
}
