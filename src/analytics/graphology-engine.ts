/**
 * The in-process engine for servers without GDS (Aura Free, a plain Neo4j): stream the scope's actors
 * and follows into a graphology graph, then run the pure algorithms on it.
 */
import type { GraphDatabase } from '../graph/database.js';
import { streamScopeActors, streamScopeFollows } from '../graph/analytics-queries.js';
import { centralityScores, pathMetricWork } from './centrality.js';
import type { AnalyticsEngine } from './engine.js';
import { AnalyticsTooLargeError, AnalyticsUnavailableError } from './errors.js';
import { FollowGraphBuilder, handleOf, type FollowGraph } from './follow-graph.js';
import { louvainCommunities } from './louvain.js';
import type { CentralityMetric } from '../core/centrality.js';
import type { CommunityAlgorithm } from '../core/community-algorithm.js';
import type { GraphScope } from '../core/scope.js';
import type { ScoredActor } from './types.js';

/** ~2e9 BFS steps is tens of seconds of blocked event loop: beyond that, ask for GDS or a smaller scope. */
export const DEFAULT_MAX_PATH_WORK = 2e9;

export class GraphologyEngine implements AnalyticsEngine {
  readonly name = 'graphology' as const;

  constructor(
    private readonly db: GraphDatabase,
    private readonly maxPathWork = DEFAULT_MAX_PATH_WORK,
  ) {}

  async scores(metric: CentralityMetric, scope: GraphScope): Promise<ScoredActor[]> {
    const graph = await this.load(scope);
    if ((metric === 'BETWEENNESS' || metric === 'CLOSENESS') && pathMetricWork(graph) > this.maxPathWork) {
      throw new AnalyticsTooLargeError(
        `${metric.toLowerCase()} over ${graph.order} actors and ${graph.size} follows is too large without the GDS plugin; narrow it to a hashtag's COMMUNITY scope`,
      );
    }
    const scores = centralityScores(graph, metric);
    return [...scores].map(([did, score]) => ({ did, handle: handleOf(graph, did), score }));
  }

  async communities(scope: GraphScope, algorithm: CommunityAlgorithm = 'LOUVAIN'): Promise<Map<string, number>> {
    if (algorithm === 'LEIDEN') throw leidenUnavailable();
    return louvainCommunities(await this.load(scope));
  }

  /** Two streamed reads (actors, then follows by source): the edge list is never held outside the graph. */
  async load(scope: GraphScope): Promise<FollowGraph> {
    const builder = new FollowGraphBuilder();
    for await (const a of streamScopeActors(this.db, scope)) builder.addActor(a.did, a.handle ?? null);
    for await (const f of streamScopeFollows(this.db, scope)) for (const target of f.targets) builder.addFollow(f.source, target);
    return builder.build();
  }
}

/** No maintained JavaScript Leiden exists; GDS has one. */
export function leidenUnavailable(): AnalyticsUnavailableError {
  return new AnalyticsUnavailableError('LEIDEN needs the Graph Data Science plugin on the Neo4j server; LOUVAIN runs without it');
}
