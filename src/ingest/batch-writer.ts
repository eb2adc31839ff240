/**
 * The bounded buffer between fetching and Neo4j. Fetch tasks add rows; one background loop commits
 * them in batches (one transaction each) while the fetches go on. When more edges wait than the
 * buffer holds, `addFollowsPage` blocks: back-pressure instead of memory growing with the graph.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from '../graph/database.js';
import type { Lease } from '../graph/ingest-lease.js';
import { writeIngestBatch, type FollowRecordEdge, type IngestBatch, type MemberRow, type ProfileRow, type TargetRow } from '../graph/ingest-writes.js';

export interface BatchWriterOptions {
  readonly lease: Lease;
  readonly runId: string;
  readonly hashtag: string;
  readonly stamp: number;
  /** Edges per transaction. */
  readonly batchEdges?: number;
  /** Edges that may wait (in the batch being built plus the one being written) before fetches block. */
  readonly maxBufferedEdges?: number;
  /** Longest a small batch waits before it is written anyway. */
  readonly lingerMs?: number;
  /** Counters to persist with each batch. */
  readonly counters: () => Record<string, number>;
  readonly onCommitted?: (committed: { edges: number; completed: number; targets: number }) => void;
  /** What runs inside each batch's transaction; tests replace it (default: writeIngestBatch). */
  readonly writeBatch?: (tx: ManagedTransaction, batch: IngestBatch) => Promise<void>;
}

/** All the writer needs of the database: one write transaction per batch. */
export type BatchStore = Pick<GraphDatabase, 'writeTx'>;

type Pending = Omit<IngestBatch, 'lease' | 'runId' | 'hashtag' | 'stamp' | 'counters' | 'targets' | 'checkpoint'> & {
  targets: Map<string, TargetRow>;
  checkpoint: string | null;
};

function emptyBatch(): Pending {
  return { members: [], newMembers: [], profiles: [], profilesMissing: [], targets: new Map(), edges: [], recordEdges: [], targetsMissing: [], completed: [], incomplete: [], checkpoint: null };
}

export class BatchWriter {
  private pending: Pending = emptyBatch();
  private pendingItems = 0;
  private writingEdges = 0;
  private writing: Promise<void> | null = null;
  private failure: Error | null = null;
  private timer: NodeJS.Timeout | null = null;
  private waiters: Array<() => void> = [];
  private readonly batchEdges: number;
  private readonly maxBufferedEdges: number;
  private readonly lingerMs: number;

  constructor(
    private readonly db: BatchStore,
    private readonly options: BatchWriterOptions,
  ) {
    this.batchEdges = options.batchEdges ?? 10_000;
    this.maxBufferedEdges = options.maxBufferedEdges ?? 4 * this.batchEdges;
    this.lingerMs = options.lingerMs ?? 250;
  }

  addMembers(rows: MemberRow[], newMembers: Array<{ did: string; order: number }>, checkpoint: string): void {
    this.check();
    this.pending.members.push(...rows);
    this.pending.newMembers.push(...newMembers);
    this.pending.checkpoint = checkpoint;
    this.touched(rows.length + 1);
  }

  addProfiles(rows: ProfileRow[], missing: string[]): void {
    this.check();
    this.pending.profiles.push(...rows);
    this.pending.profilesMissing.push(...missing);
    this.touched(rows.length + missing.length);
  }

  /** A page of getFollows: the followed accounts' profiles come with it. */
  async addFollowsPage(source: string, targets: TargetRow[]): Promise<void> {
    await this.room();
    for (const t of targets) {
      this.pending.targets.set(t.did, t);
      this.pending.edges.push([source, t.did]);
    }
    this.touched(targets.length);
  }

  /** A page of the member's follow records (repo mode): rkeys and dates, subjects by DID only. */
  async addFollowRecords(source: string, records: ReadonlyArray<Omit<FollowRecordEdge, 'source'>>): Promise<void> {
    await this.room();
    for (const r of records) this.pending.recordEdges.push({ source, ...r });
    this.touched(records.length);
  }

  /** Profiles of followed accounts read on their own (repo mode fills in what records lack). */
  addTargets(rows: TargetRow[], missing: string[]): void {
    this.check();
    for (const t of rows) this.pending.targets.set(t.did, t);
    this.pending.targetsMissing.push(...missing);
    this.touched(rows.length + missing.length);
  }

  private async room(): Promise<void> {
    while (this.pendingEdges() + this.writingEdges >= this.maxBufferedEdges && !this.failure) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.check();
  }

  private pendingEdges(): number {
    return this.pending.edges.length + this.pending.recordEdges.length;
  }

  /** The member's follow list was read to its end: edges not seen in this run are unfollows. */
  completeMember(did: string): void {
    this.check();
    this.pending.completed.push(did);
    this.touched(1);
  }

  /** The member's follow list could not be read to its end: done for this run, nothing of it deleted. */
  incompleteMember(did: string): void {
    this.check();
    this.pending.incomplete.push(did);
    this.touched(1);
  }

  /** Writes everything added so far and waits for it. */
  async drain(): Promise<void> {
    for (;;) {
      // `while`, not `if`: the end of one write starts the next when a full batch waits, and that
      // one took everything pending, so "nothing pending" alone does not mean "all committed".
      while (this.writing) await this.writing.catch(() => undefined);
      this.check();
      if (this.pendingItems === 0) return;
      this.startWrite();
    }
  }

  /** Writes what is buffered, then stops (cancellation keeps work already fetched). */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.failure) return;
    await this.drain().catch(() => undefined);
  }

  get error(): Error | null {
    return this.failure;
  }

  private touched(items: number): void {
    this.pendingItems += items;
    if (this.pendingEdges() >= this.batchEdges) this.startWrite();
    else if (!this.timer && !this.writing) this.timer = setTimeout(() => this.startWrite(), this.lingerMs);
  }

  private startWrite(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing || this.pendingItems === 0 || this.failure) return;
    const batch = this.pending;
    this.pending = emptyBatch();
    this.pendingItems = 0;
    this.writingEdges = batch.edges.length + batch.recordEdges.length;
    const full: IngestBatch = {
      ...batch,
      targets: [...batch.targets.values()],
      lease: this.options.lease,
      runId: this.options.runId,
      hashtag: this.options.hashtag,
      stamp: this.options.stamp,
      counters: this.options.counters(),
    };
    const writeBatch = this.options.writeBatch ?? writeIngestBatch;
    this.writing = this.db
      .writeTx((tx) => writeBatch(tx, full), 300_000)
      .then(() => {
        this.options.onCommitted?.({ edges: full.edges.length + full.recordEdges.length, completed: full.completed.length + full.incomplete.length, targets: full.targets.length });
      })
      .catch((err: Error) => {
        // A lost lease is not a Neo4j failure: say so, and keep its code for the run's end.
        this.failure = (err as { code?: string }).code === 'LEASE_LOST' ? err : new Error(`writing to Neo4j failed: ${err.message}`);
      })
      .finally(() => {
        this.writing = null;
        this.writingEdges = 0;
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
        if (this.pendingItems > 0 && !this.failure) {
          if (this.pendingEdges() >= this.batchEdges) this.startWrite();
          else this.timer ??= setTimeout(() => this.startWrite(), this.lingerMs);
        }
      });
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }
}
