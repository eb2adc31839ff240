/**
 * Centrality rankings and Louvain communities for the whole graph or a hashtag's scope. Runs on GDS
 * when the plugin is there, else in process (graphology) with the same parameters; caches each answer
 * per graph version; writes `pagerank` and `community` back onto Actor nodes for Neo4j Browser users.
 */
import type { GraphDatabase } from '../graph/database.js';
import { readGraphVersion } from '../graph/graph-version.js';
import { hasGraphProjectFunction, writeActorProperty } from '../graph/analytics-queries.js';
import { normaliseHashtag } from '../ingest/hashtag.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { groupCommunities } from './community-groups.js';
import type { AnalyticsEngine, EngineName } from './engine.js';
import { AnalyticsInputError } from './errors.js';
import { GdsEngine } from './gds-engine.js';
import { DEFAULT_MAX_PATH_WORK, GraphologyEngine } from './graphology-engine.js';
import { canonicalCommunities } from './louvain.js';
import { COMMUNITY_TOP_MEMBERS, WRITE_BACK_BATCH } from './parameters.js';
import { rankScores } from './ranking.js';
import { CENTRALITY_METRICS, SCOPES, type CentralityMetric, type CommunityGroup, type GraphScope, type RankedDid, type Scope } from './types.js';
import { VersionedCache } from './versioned-cache.js';

export type { CentralityMetric, Scope, RankedDid, CommunityGroup } from './types.js';

export interface CentralityServiceOptions {
  /** 'auto' (default): GDS when installed; 'never': always the in-process engine. */
  gds?: 'auto' | 'never';
  logger?: Logger;
  /** Fallback engine's limit for betweenness/closeness (≈ nodes × (nodes + edges)). */
  maxPathWork?: number;
  /** DIDs listed per community. Default 10. */
  topMembers?: number;
}

type Answer = { kind: 'ranking'; ranking: RankedDid[] } | { kind: 'communities'; groups: CommunityGroup[] };

export class CentralityService {
  private readonly cache = new VersionedCache<Answer>();
  private readonly logger: Logger;
  private chosen: Promise<AnalyticsEngine> | null = null;

  constructor(
    private readonly db: GraphDatabase,
    private readonly options: CentralityServiceOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
  }

  /** Which engine answers: decided once per service (a plugin does not appear without a restart). */
  async engine(): Promise<'gds' | 'graphology'> {
    return (await this.pick()).name;
  }

  /** Computations actually run (cache misses) since start. */
  get computations(): number {
    return this.cache.computations;
  }

  async centrality(metric: CentralityMetric, opts: { hashtag?: string | null; scope: Scope; first: number }): Promise<RankedDid[]> {
    if (!CENTRALITY_METRICS.includes(metric)) throw new AnalyticsInputError(`unknown centrality metric: ${String(metric)}`);
    const first = checkFirst(opts.first);
    const scope = graphScope(opts.hashtag, opts.scope);
    const ranking = await this.ranking(metric, scope, await readGraphVersion(this.db));
    return ranking.slice(0, first);
  }

  /** Louvain over the hashtag's COMMUNITY scope; groups largest first, ids 0…k-1 in that order. */
  async communities(hashtag: string): Promise<CommunityGroup[]> {
    if (typeof hashtag !== 'string') throw new AnalyticsInputError('hashtag is required');
    const scope = graphScope(hashtag, 'COMMUNITY');
    const version = await readGraphVersion(this.db);
    const answer = await this.cache.get(cacheKey('LOUVAIN', scope), version, async () => {
      const pagerank = await this.ranking('PAGERANK', scope, version);
      const engine = await this.pick();
      const assignment = canonicalCommunities(await engine.communities(scope));
      await writeActorProperty(this.db, 'community', [...assignment].map(([did, value]) => ({ did, value })), WRITE_BACK_BATCH);
      const groups = groupCommunities(assignment, pagerank, this.options.topMembers ?? COMMUNITY_TOP_MEMBERS);
      this.logger.info('communities computed', { engine: engine.name, hashtag: scope.hashtag, communities: groups.length, actors: assignment.size });
      return { kind: 'communities', groups } as const;
    });
    return (answer as Extract<Answer, { kind: 'communities' }>).groups;
  }

  private async ranking(metric: CentralityMetric, scope: GraphScope, version: number): Promise<RankedDid[]> {
    const answer = await this.cache.get(cacheKey(metric, scope), version, async () => {
      const engine = await this.pick();
      const ranking = rankScores(await engine.scores(metric, scope));
      if (metric === 'PAGERANK') {
        await writeActorProperty(this.db, 'pagerank', ranking.map((r) => ({ did: r.did, value: r.score })), WRITE_BACK_BATCH);
      }
      this.logger.info('centrality computed', { engine: engine.name, metric, hashtag: scope.hashtag, scope: scope.scope, actors: ranking.length });
      return { kind: 'ranking', ranking } as const;
    });
    return (answer as Extract<Answer, { kind: 'ranking' }>).ranking;
  }

  private pick(): Promise<AnalyticsEngine> {
    if (!this.chosen) {
      this.chosen = this.detect();
      this.chosen.catch(() => (this.chosen = null));
    }
    return this.chosen;
  }

  private async detect(): Promise<AnalyticsEngine> {
    const fallback = new GraphologyEngine(this.db, this.options.maxPathWork ?? DEFAULT_MAX_PATH_WORK);
    if (this.options.gds === 'never') return fallback;
    const [algorithms, projection] = await Promise.all([this.db.hasProcedure('gds.pageRank.stream'), hasGraphProjectFunction(this.db)]);
    const name: EngineName = algorithms && projection ? 'gds' : 'graphology';
    this.logger.info('analytics engine', { engine: name });
    return name === 'gds' ? new GdsEngine(this.db, this.logger) : fallback;
  }
}

function graphScope(hashtag: string | null | undefined, scope: Scope): GraphScope {
  if (!SCOPES.includes(scope)) throw new AnalyticsInputError(`unknown scope: ${String(scope)}`);
  if (hashtag === undefined || hashtag === null) return { hashtag: null, scope: 'ALL' };
  return { hashtag: normaliseHashtag(hashtag), scope };
}

function checkFirst(first: number): number {
  if (!Number.isInteger(first) || first < 0) throw new AnalyticsInputError(`first must be a non-negative integer, got ${String(first)}`);
  return first;
}

/** Without a hashtag the scope is the whole graph whatever `scope` says, so both share one entry. */
function cacheKey(question: CentralityMetric | 'LOUVAIN', scope: GraphScope): string {
  return JSON.stringify([question, scope.hashtag, scope.hashtag === null ? 'GRAPH' : scope.scope]);
}
