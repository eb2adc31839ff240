/**
 * The BatchWriter against a fake database whose write transactions the test settles by hand:
 * back-pressure (fetches block while the buffer is full, and go on after a commit) and failure
 * (a failed write stops every later add, and close() returns).
 */
import { describe, expect, it } from '@jest/globals';
import type { ManagedTransaction } from 'neo4j-driver';
import type { Lease } from '../../../src/graph/ingest-lease.js';
import type { IngestBatch, TargetRow } from '../../../src/graph/ingest-writes.js';
import { BatchWriter, type BatchStore } from '../../../src/ingest/batch-writer.js';

/** A database whose every writeTx waits until the test commits or fails it. */
function fakeDatabase() {
  const open: Array<{ commit: () => Promise<void>; fail: (err: Error) => Promise<void> }> = [];
  const written: IngestBatch[] = [];
  const store: BatchStore = {
    writeTx: <R>(work: (tx: ManagedTransaction) => Promise<R>) =>
      new Promise<R>((resolve, reject) => {
        open.push({
          commit: async () => resolve(await work({} as ManagedTransaction)),
          fail: async (err) => reject(err),
        });
      }),
  };
  const writeBatch = async (_tx: ManagedTransaction, batch: IngestBatch) => {
    written.push(batch);
  };
  /** Settles the oldest open transaction and lets the writer's continuations run. */
  const settle = async (how: 'commit' | Error) => {
    const tx = open.shift();
    if (!tx) throw new Error('no transaction is open');
    await (how === 'commit' ? tx.commit() : tx.fail(how));
    await flush();
  };
  return { store, writeBatch, written, open, settle };
}

const flush = () => new Promise((r) => setImmediate(r));
const lease = { hashtag: 'databs', holder: 'run-1', token: 1, ttlMs: 60_000 } as unknown as Lease;
const targets = (n: number, from = 0): TargetRow[] =>
  Array.from({ length: n }, (_, i) => ({ did: `did:plc:t${from + i}`, handle: `t${from + i}.test`, displayName: null, description: null, avatar: null, createdAt: null }));

function writer(db: ReturnType<typeof fakeDatabase>, extra: { batchEdges?: number; maxBufferedEdges?: number } = {}) {
  const committed: number[] = [];
  const w = new BatchWriter(db.store, {
    lease,
    runId: 'run-1',
    hashtag: 'databs',
    stamp: 1,
    batchEdges: extra.batchEdges ?? 10,
    maxBufferedEdges: extra.maxBufferedEdges ?? 20,
    lingerMs: 5,
    counters: () => ({ follows: committed.length }),
    writeBatch: db.writeBatch,
    onCommitted: ({ edges }) => committed.push(edges),
  });
  return { w, committed };
}

/** Whether a promise has settled, without waiting for it. */
function tracked<T>(p: Promise<T>) {
  const state = { done: false, error: null as Error | null };
  p.then(
    () => (state.done = true),
    (err: Error) => {
      state.done = true;
      state.error = err;
    },
  );
  return state;
}

describe('BatchWriter back-pressure', () => {
  it('blocks addFollowsPage while the buffer is full and resumes after a commit', async () => {
    const db = fakeDatabase();
    const { w, committed } = writer(db);
    await w.addFollowsPage('did:plc:a', targets(10)); // a full batch: its write starts at once
    expect(db.open).toHaveLength(1);
    await w.addFollowsPage('did:plc:a', targets(10, 10)); // waits behind the write: 20 buffered
    const third = tracked(w.addFollowsPage('did:plc:b', targets(10, 20)));
    await flush();
    expect(third.done).toBe(false);
    expect(db.open).toHaveLength(1); // one transaction at a time

    await db.settle('commit');
    expect(committed).toEqual([10]);
    expect(third).toEqual({ done: true, error: null });
    // The second page went out as the next batch; the third waits for its own.
    expect(db.open).toHaveLength(1);
    await db.settle('commit');
    await flush();
    expect(db.open).toHaveLength(1);
    await db.settle('commit');
    expect(committed).toEqual([10, 10, 10]);
    expect(db.written.flatMap((b) => b.edges.map(([, t]) => t))).toEqual(targets(30).map((t) => t.did));
  });

  it('writes a small batch after the linger, and drain() waits for everything added', async () => {
    const db = fakeDatabase();
    const { w } = writer(db);
    w.addMembers([{ did: 'did:plc:a', handle: 'a.test', displayName: null, avatar: null, posts: 1, firstAt: 't', lastAt: 't', coTags: [] }], [{ did: 'did:plc:a', order: 0 }], '{"cp":1}');
    await w.addFollowsPage('did:plc:a', targets(3));
    w.completeMember('did:plc:a');
    const drained = tracked(w.drain());
    await flush();
    expect(db.open).toHaveLength(1);
    expect(drained.done).toBe(false);
    await db.settle('commit');
    expect(drained).toEqual({ done: true, error: null });
    expect(db.written).toHaveLength(1);
    expect(db.written[0]).toMatchObject({ checkpoint: '{"cp":1}', completed: ['did:plc:a'], newMembers: [{ did: 'did:plc:a', order: 0 }] });
    expect(db.written[0]!.edges).toHaveLength(3);
  });
});

describe('BatchWriter drain', () => {
  // The bug a crawl of 1,000 members hit about one run in six (bench/watch-fold.ts): drain() awaited
  // the write in flight, whose completion started the next full batch, then saw nothing pending and
  // returned with that batch still uncommitted; the run finalised and reported SUCCEEDED without
  // the last ~50 members' follows.
  it('does not return while the write started by the one it waited for is still in flight', async () => {
    const db = fakeDatabase();
    const { w, committed } = writer(db, { batchEdges: 10, maxBufferedEdges: 40 });
    await w.addFollowsPage('did:plc:a', targets(10)); // a full batch: its write starts at once
    await w.addFollowsPage('did:plc:b', targets(10, 10)); // a second full batch, waiting behind it
    w.completeMember('did:plc:b');
    const drained = tracked(w.drain());
    await db.settle('commit'); // the first commits; its completion starts the second
    expect(db.open).toHaveLength(1);
    expect(drained.done).toBe(false);
    await db.settle('commit');
    expect(drained).toEqual({ done: true, error: null });
    expect(committed).toEqual([10, 10]);
    expect(db.written.flatMap((b) => b.completed)).toEqual(['did:plc:b']);
  });
});

describe('BatchWriter failure', () => {
  it('a failing write makes every later add throw, wakes blocked fetches, and close() returns', async () => {
    const db = fakeDatabase();
    const { w } = writer(db);
    await w.addFollowsPage('did:plc:a', targets(10));
    await w.addFollowsPage('did:plc:a', targets(10, 10));
    const blocked = w.addFollowsPage('did:plc:b', targets(10, 20)).catch((err: Error) => err);
    await flush();

    await db.settle(new Error('connection lost'));
    const err = await blocked;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe('writing to Neo4j failed: connection lost');
    expect(w.error).toBe(err);
    expect(() => w.completeMember('did:plc:a')).toThrow('writing to Neo4j failed: connection lost');
    expect(() => w.addProfiles([], ['did:plc:a'])).toThrow('writing to Neo4j failed');
    await expect(w.addFollowsPage('did:plc:c', targets(1))).rejects.toThrow('writing to Neo4j failed');
    await expect(w.drain()).rejects.toThrow('writing to Neo4j failed');
    // Nothing more is written, and close() does not wait for a write that will never come.
    await w.close();
    expect(db.open).toHaveLength(0);
  });

  it('a lost lease keeps its own error and code', async () => {
    const db = fakeDatabase();
    const { w } = writer(db);
    await w.addFollowsPage('did:plc:a', targets(10));
    const lost = Object.assign(new Error('run run-1 lost its lease on #databs'), { code: 'LEASE_LOST' });
    await db.settle(lost);
    expect(w.error).toBe(lost);
    expect(() => w.incompleteMember('did:plc:a')).toThrow(lost);
  });

  it('close() after cancellation still writes what was fetched', async () => {
    const db = fakeDatabase();
    const { w } = writer(db);
    await w.addFollowsPage('did:plc:a', targets(4));
    const closed = tracked(w.close());
    await flush();
    expect(db.open).toHaveLength(1);
    await db.settle('commit');
    expect(closed).toEqual({ done: true, error: null });
    expect(db.written[0]!.edges).toHaveLength(4);
  });
});
