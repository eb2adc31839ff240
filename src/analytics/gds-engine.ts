/**
 * The Graph Data Science engine: project the scope under a unique name, stream the algorithm, and
 * always drop the projection (GDS keeps projections in heap until dropped).
 */
import { randomUUID } from 'node:crypto';
import type { GraphDatabase } from '../graph/database.js';
import { dropProjection, projectScope, streamGdsCentrality, streamGdsLeiden, streamGdsLouvain } from '../graph/analytics-queries.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { LEIDEN_SEED, PAGERANK } from './parameters.js';
import type { AnalyticsEngine } from './engine.js';
import type { CentralityMetric } from '../core/centrality.js';
import type { CommunityAlgorithm } from '../core/community-algorithm.js';
import type { GraphScope } from '../core/scope.js';
import type { ScoredActor } from './types.js';

export class GdsEngine implements AnalyticsEngine {
  readonly name = 'gds' as const;

  constructor(
    private readonly db: GraphDatabase,
    private readonly logger: Logger = silentLogger,
  ) {}

  scores(metric: CentralityMetric, scope: GraphScope): Promise<ScoredActor[]> {
    return this.withProjection(scope, false, async (graphName) => {
      const scored: ScoredActor[] = [];
      for await (const row of streamGdsCentrality(this.db, graphName, metric, PAGERANK)) {
        scored.push({ did: row.did, handle: row.handle ?? null, score: Number(row.score) });
      }
      return metric === 'PAGERANK' ? normaliseScored(scored) : scored;
    }, []);
  }

  communities(scope: GraphScope, algorithm: CommunityAlgorithm = 'LOUVAIN'): Promise<Map<string, number>> {
    return this.withProjection(scope, true, async (graphName) => {
      const labels = new Map<string, number>();
      const rows = algorithm === 'LEIDEN' ? streamGdsLeiden(this.db, graphName, LEIDEN_SEED) : streamGdsLouvain(this.db, graphName);
      for await (const row of rows) labels.set(row.did, Number(row.communityId));
      return labels;
    }, new Map());
  }

  private async withProjection<R>(scope: GraphScope, undirected: boolean, work: (graphName: string) => Promise<R>, empty: R): Promise<R> {
    const graphName = `bsky-graph-${randomUUID()}`;
    try {
      const projected = await projectScope(this.db, graphName, scope, { undirected });
      if (projected.nodes === 0) return empty;
      return await work(graphName);
    } finally {
      await dropProjection(this.db, graphName).catch((err: Error) => this.logger.warn('could not drop GDS projection', { graphName, error: err.message }));
    }
  }
}

/** GDS PageRank loses the mass of actors who follow nobody; normalising makes it graphology's vector. */
function normaliseScored(scored: ScoredActor[]): ScoredActor[] {
  let sum = 0;
  for (const s of scored) sum += s.score;
  if (sum <= 0) return scored;
  return scored.map((s) => ({ ...s, score: s.score / sum }));
}
