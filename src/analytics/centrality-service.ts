/**
 * Centrality rankings and Louvain communities for the whole graph or a hashtag's scope. Runs on GDS
 * when the plugin is there, else in process (graphology) with the same parameters. Queries only read:
 * answers come from a bounded in-process cache keyed by graph version and question, computed through
 * one server-wide queue. Scores stored in Neo4j (per hashtag, on POSTED_WITH) are written only by
 * the explicit step `computeScores` / `writeScores` (the keyed mutation, the CLI, the end of an ingest).
 */
import PQueue from 'p-queue';
import type { GraphDatabase } from '../graph/database.js';
import { hasGraphProjectFunction, readQuestionState, readStoredCommunities, writeHashtagScores } from '../graph/analytics-queries.js';
import { CENTRALITY_METRICS, type CentralityMetric } from '../core/centrality.js';
import { COMMUNITY_ALGORITHMS, type CommunityAlgorithm } from '../core/community-algorithm.js';
import { normaliseHashtag } from '../core/hashtag.js';
import { SCOPES, type GraphScope, type Scope } from '../core/scope.js';
import { silentLogger, type Logger } from '../logging/logger.js';
import { groupCommunities } from './community-groups.js';
import type { AnalyticsEngine, EngineName, ScopeGraphSource } from './engine.js';
import { AnalyticsInputError, AnalyticsNotFoundError } from './errors.js';
import { GdsEngine } from './gds-engine.js';
import { DEFAULT_MAX_PATH_WORK, GraphologyEngine } from './graphology-engine.js';
import { InMemoryFirstEngine } from './in-memory-first-engine.js';
import { canonicalCommunities } from './louvain.js';
import { COMMUNITY_TOP_MEMBERS, WRITE_BACK_BATCH } from './parameters.js';
import { stableCommunityIds } from './stable-ids.js';
import { rankScores } from './ranking.js';
import type { CommunityGroup, RankedDid } from './types.js';
import { DEFAULT_CACHE_CAPACITY, VersionedCache } from './versioned-cache.js';

export type { RankedDid, CommunityGroup } from './types.js';

export interface CentralityServiceOptions {
  /** 'auto' (default): GDS when installed; 'never': always the in-process engine. */
  gds?: 'auto' | 'never';
  logger?: Logger;
  /** Fallback engine's limit for betweenness/closeness (≈ nodes × (nodes + edges)). */
  maxPathWork?: number;
  /** DIDs listed per community. Default 10. */
  topMembers?: number;
  /** Answers kept in memory (LRU). Default 64. */
  cacheSize?: number;
  /**
   * Computations running at once, server-wide. Default 1: an algorithm is CPU-bound (graphology) or
   * heap-bound (GDS), so on a small machine a second one only slows both down.
   */
  concurrency?: number;
  /** Scope graphs already in memory (the read model): computed on them when current. */
  scopeGraphs?: ScopeGraphSource;
}

/** What computeScores wrote for a hashtag. */
export interface ScoresWritten {
  readonly hashtag: string;
  /** Memberships that got a score. */
  readonly actors: number;
  readonly communities: number;
  readonly graphVersion: number;
  readonly engine: EngineName;
  /** ISO 8601, as stored on the Hashtag node (null only if the hashtag vanished meanwhile). */
  readonly computedAt: string | null;
}

type Answer = { kind: 'ranking'; ranking: RankedDid[] } | { kind: 'communities'; assignment: Map<string, number>; groups: CommunityGroup[] };

/**
 * Which algorithm `communities` runs when none is asked for, and the one computeScores stores. Louvain:
 * on the planted-group devnet both recover the groups exactly (NMI 1, same modularity), and Louvain
 * runs from memory in milliseconds where GDS Leiden needs a projection (bench/results/communities.json).
 */
export const DEFAULT_COMMUNITY_ALGORITHM: CommunityAlgorithm = 'LOUVAIN';

/** A hashtag's partition at a graph version: what community insights are computed from. */
export interface Partition {
  readonly version: number;
  readonly algorithm: CommunityAlgorithm;
  /** DID → community id (stable across recomputations, see stableCommunityIds). */
  readonly assignment: ReadonlyMap<string, number>;
  readonly groups: readonly CommunityGroup[];
  /** The hashtag's members by PageRank (in its COMMUNITY scope). */
  readonly pagerank: readonly RankedDid[];
}

export class CentralityService {
  private readonly cache: VersionedCache<Answer>;
  private readonly queue: PQueue;
  private readonly logger: Logger;
  private chosen: Promise<AnalyticsEngine> | null = null;
  /** Algorithm runs (engine calls) since start: what the cache and single-flight save. */
  private runs = 0;
  /** The last partition computed per (scope, algorithm): new ids are matched against it. */
  private readonly lastPartitions = new Map<string, Map<string, number>>();

  constructor(
    private readonly db: GraphDatabase,
    private readonly options: CentralityServiceOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.cache = new VersionedCache<Answer>(options.cacheSize ?? DEFAULT_CACHE_CAPACITY);
    this.queue = new PQueue({ concurrency: options.concurrency ?? 1 });
  }

  /** Which engine answers: decided once per service (a plugin does not appear without a restart). */
  async engine(): Promise<'gds' | 'graphology'> {
    return (await this.pick()).name;
  }

  /** Computations started (cache misses) since start. */
  get computations(): number {
    return this.cache.computations;
  }

  /** Algorithm runs since start (a Louvain answer runs two: PageRank for its top members, then Louvain). */
  get algorithmRuns(): number {
    return this.runs;
  }

  /** Answers held in memory now (never more than the capacity). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /** Computations waiting for, or holding, a slot of the queue. */
  get pending(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Computations running now (never more than `concurrency`). */
  get running(): number {
    return this.queue.pending;
  }

  async centrality(metric: CentralityMetric, opts: { hashtag?: string | null; scope: Scope; first: number }): Promise<RankedDid[]> {
    if (!CENTRALITY_METRICS.includes(metric)) throw new AnalyticsInputError(`unknown centrality metric: ${String(metric)}`);
    const first = checkFirst(opts.first);
    const scope = graphScope(opts.hashtag, opts.scope);
    // An unknown hashtag has an empty scope: answered without computing or caching anything, so
    // clients cannot fill the cache with made-up names.
    const { version, exists } = await readQuestionState(this.db, scope.hashtag);
    if (!exists) return [];
    const ranking = await this.ranking(metric, scope, version);
    return ranking.slice(0, first);
  }

  /**
   * Communities of the hashtag's COMMUNITY scope, largest first. On a first computation ids are
   * 0…k-1 in that order; later ones keep the ids of the communities they continue (stable-ids.ts).
   */
  async communities(hashtag: string, algorithm: CommunityAlgorithm = DEFAULT_COMMUNITY_ALGORITHM): Promise<CommunityGroup[]> {
    return [...((await this.partition(hashtag, algorithm))?.groups ?? [])];
  }

  /** The whole partition (null for a hashtag the graph does not have). */
  async partition(hashtag: string, algorithm: CommunityAlgorithm = DEFAULT_COMMUNITY_ALGORITHM): Promise<Partition | null> {
    if (!COMMUNITY_ALGORITHMS.includes(algorithm)) throw new AnalyticsInputError(`unknown community algorithm: ${String(algorithm)}`);
    const scope = communityScope(hashtag);
    const { version, exists } = await readQuestionState(this.db, scope.hashtag);
    if (!exists) return null;
    const { assignment, groups } = await this.detectCommunities(scope, version, algorithm);
    const pagerank = await this.ranking('PAGERANK', scope, version);
    return { version, algorithm, assignment, groups, pagerank };
  }

  /**
   * The explicit step: PageRank and Louvain over the hashtag's COMMUNITY scope, written onto its
   * POSTED_WITH relationships (`p.pagerank`, `p.community`) and stamped on the Hashtag
   * (`scoresGraphVersion`, `scoresComputedAt`). Other hashtags' scores are untouched. Uses (and
   * fills) the cache, so scores written equal what `centrality`/`communities` answer. NOT_FOUND
   * (AnalyticsNotFoundError) for a hashtag the graph does not have.
   */
  async computeScores(hashtag: string): Promise<ScoresWritten> {
    const scope = communityScope(hashtag);
    const tag = scope.hashtag as string;
    const { version, exists } = await readQuestionState(this.db, tag);
    if (!exists) throw new AnalyticsNotFoundError(`no hashtag #${tag} in the graph`);
    const engine = await this.pick();
    const { assignment, groups } = await this.detectCommunities(scope, version, DEFAULT_COMMUNITY_ALGORITHM);
    const pagerank = await this.ranking('PAGERANK', scope, version);
    const rows = pagerank.map((r) => ({ did: r.did, pagerank: r.score, community: assignment.get(r.did) ?? null }));
    const { written, computedAt } = await this.queue.add(() => writeHashtagScores(this.db, tag, version, rows, WRITE_BACK_BATCH));
    this.logger.info('scores written', { engine: engine.name, hashtag: tag, actors: written, communities: groups.length, graphVersion: version });
    return { hashtag: tag, actors: written, communities: groups.length, graphVersion: version, engine: engine.name, computedAt };
  }

  private async ranking(metric: CentralityMetric, scope: GraphScope, version: number): Promise<RankedDid[]> {
    const answer = await this.cache.get(cacheKey(metric, scope), version, () => this.queued(() => this.computeRanking(metric, scope)));
    return (answer as Extract<Answer, { kind: 'ranking' }>).ranking;
  }

  private async detectCommunities(scope: GraphScope, version: number, algorithm: CommunityAlgorithm): Promise<Extract<Answer, { kind: 'communities' }>> {
    const key = cacheKey(algorithm, scope);
    const answer = await this.cache.get(key, version, () =>
      this.queued(async () => {
        // PageRank orders the top members. Inside this slot it is taken only if already answered:
        // waiting here for one still queued behind us would deadlock a queue of one.
        const settled = this.cache.settled(cacheKey('PAGERANK', scope), version);
        const known = settled?.kind === 'ranking' ? settled.ranking : null;
        const pagerank = known ?? (await this.computeRanking('PAGERANK', scope)).ranking;
        if (!known) this.cache.offer(cacheKey('PAGERANK', scope), version, { kind: 'ranking', ranking: pagerank });
        const engine = await this.pick();
        this.runs++;
        const canonical = canonicalCommunities(await engine.communities(scope, algorithm));
        // Ids continue the last partition this server computed, or else the one stored by computeScores.
        const previous =
          this.lastPartitions.get(key) ??
          (algorithm === DEFAULT_COMMUNITY_ALGORITHM && scope.hashtag !== null ? await readStoredCommunities(this.db, scope.hashtag) : null);
        const assignment = stableCommunityIds(canonical, previous);
        this.lastPartitions.set(key, assignment);
        const groups = groupCommunities(assignment, pagerank, this.options.topMembers ?? COMMUNITY_TOP_MEMBERS);
        this.logger.info('communities computed', { engine: engine.name, algorithm, hashtag: scope.hashtag, communities: groups.length, actors: assignment.size });
        return { kind: 'communities', assignment, groups } as const;
      }),
    );
    return answer as Extract<Answer, { kind: 'communities' }>;
  }

  private async computeRanking(metric: CentralityMetric, scope: GraphScope): Promise<Extract<Answer, { kind: 'ranking' }>> {
    const engine = await this.pick();
    this.runs++;
    const ranking = rankScores(await engine.scores(metric, scope));
    this.logger.info('centrality computed', { engine: engine.name, metric, hashtag: scope.hashtag, scope: scope.scope, actors: ranking.length });
    return { kind: 'ranking', ranking };
  }

  private queued<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.add(work);
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
    if (this.options.gds === 'never') return this.options.scopeGraphs ? new InMemoryFirstEngine(this.options.scopeGraphs, fallback) : fallback;
    const [algorithms, projection] = await Promise.all([this.db.hasProcedure('gds.pageRank.stream'), hasGraphProjectFunction(this.db)]);
    const name: EngineName = algorithms && projection ? 'gds' : 'graphology';
    this.logger.info('analytics engine', { engine: name, inMemoryFirst: this.options.scopeGraphs !== undefined });
    const configured = name === 'gds' ? new GdsEngine(this.db, this.logger) : fallback;
    return this.options.scopeGraphs ? new InMemoryFirstEngine(this.options.scopeGraphs, configured) : configured;
  }
}

/**
 * The explicit scores step for one hashtag, for callers without a running service (the end of an
 * ingest, the CLI): PageRank and Louvain over its COMMUNITY scope, written on its POSTED_WITH.
 * A server should call its own service's `computeScores` instead, so the work goes through its queue.
 */
export function writeScores(db: GraphDatabase, hashtag: string, options: CentralityServiceOptions = {}): Promise<ScoresWritten> {
  return new CentralityService(db, options).computeScores(hashtag);
}

function communityScope(hashtag: string): GraphScope {
  if (typeof hashtag !== 'string') throw new AnalyticsInputError('hashtag is required');
  return graphScope(hashtag, 'COMMUNITY');
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
function cacheKey(question: CentralityMetric | CommunityAlgorithm, scope: GraphScope): string {
  return JSON.stringify([question, scope.hashtag, scope.hashtag === null ? 'GRAPH' : scope.scope]);
}
