/**
 * The in-process read model: a FollowIndex of the graph as it is now, rebuilt from Neo4j when the
 * graph's fingerprint moves. Neo4j stays the store of record: a request is answered from the index
 * only when the index's fingerprint equals the one read for that request; otherwise (an ingest is
 * writing, the first build is still running) the Cypher in src/graph/ answers it, and a rebuild
 * starts in the background. Nothing is ever served from an index of an older graph.
 */
import type { GraphDatabase } from '../graph/database.js';
import { readFollowGraphSnapshot } from '../graph/follow-graph-snapshot.js';
import { readGraphFingerprint, type GraphFingerprint } from '../graph/graph-version.js';
import type { Logger } from '../logging/logger.js';
import { FollowIndex } from './follow-index.js';
import { NextRead } from './next-read.js';

export interface GraphState {
  /** null when no read model read it (then nothing needed it). */
  readonly fingerprint: GraphFingerprint | null;
  /** The index of exactly this state, or null: ask Neo4j. */
  readonly index: FollowIndex | null;
}

export interface ReadModelOptions {
  /** false: never build an index (every read goes to Neo4j); the fingerprint is still read. */
  readonly enabled: boolean;
  readonly logger?: Logger;
  readonly now?: () => number;
}

export class ReadModel {
  private index: FollowIndex | null = null;
  private building: Promise<void> | null = null;
  private lastBuildEnd = -Infinity;
  private lastBuildMs = 0;
  private closed = false;
  private readonly fingerprints: NextRead<GraphFingerprint>;
  private readonly now: () => number;
  /** Builds started; lets tests prove a rebuild (or its absence) without timing anything. */
  builds = 0;

  constructor(
    private readonly db: GraphDatabase,
    private readonly options: ReadModelOptions,
  ) {
    this.fingerprints = new NextRead(() => readGraphFingerprint(db));
    this.now = options.now ?? (() => performance.now());
  }

  /** The graph's state for one request: read its fingerprint, and the index if it is current. */
  async state(): Promise<GraphState> {
    const fingerprint = await this.fingerprints.get();
    if (this.index?.version === fingerprint) return { fingerprint, index: this.index };
    this.refresh();
    return { fingerprint, index: null };
  }

  /** Builds the index now (if enabled and not current) and waits for it: server start, tests. */
  async ready(): Promise<void> {
    if (!this.options.enabled) return;
    if (this.building) await this.building;
    const fingerprint = await this.fingerprints.get();
    if (this.index?.version !== fingerprint) await this.build();
  }

  close(): void {
    this.closed = true;
    this.index = null;
  }

  /**
   * Starts a background build unless one is running or the last one ended too recently: during an
   * ingest the graph moves every batch, and rebuilding back to back would take a core from it.
   * Waiting twice the last build's duration caps rebuilding at a third of one core.
   */
  private refresh(): void {
    if (!this.options.enabled || this.closed || this.building) return;
    if (this.now() - this.lastBuildEnd < 2 * this.lastBuildMs) return;
    this.build().catch(() => undefined);
  }

  private build(): Promise<void> {
    this.building ??= this.buildOnce().finally(() => {
      this.building = null;
    });
    return this.building;
  }

  private async buildOnce(): Promise<void> {
    this.builds++;
    const started = this.now();
    try {
      const snapshot = await readFollowGraphSnapshot(this.db);
      if (!snapshot) {
        this.options.logger?.info('read model: the graph kept changing during the copy; Neo4j answers until the next try');
        return;
      }
      const index = new FollowIndex(snapshot);
      if (!this.closed) this.index = index;
      this.options.logger?.info('read model built', {
        fingerprint: index.version,
        actors: index.actorCount,
        follows: index.followCount,
        ms: Math.round(this.now() - started),
      });
    } catch (err) {
      this.options.logger?.warn('read model build failed; Neo4j answers until the next try', { error: (err as Error).message });
      throw err;
    } finally {
      this.lastBuildMs = this.now() - started;
      this.lastBuildEnd = this.now();
    }
  }
}
