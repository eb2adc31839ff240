/**
 * applyWatchBatch in real Neo4j on the sequences that reuse one follow pair: unfollow and follow
 * again (a new record, a new rkey), in one batch and across batches, and a second record for a pair
 * already followed. The edge must stand exactly while some record for the pair does. And the
 * re-reads a watcher owes, recorded with the batch that caused them, so a restart still does them.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { applyWatchBatch, readOwedRereads, replaceFollowRecords, settleRereads, type WatchChange } from '../../src/graph/watch-writes.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
const A = 'did:plc:aaaaaaaaaaaaaaaaaaaaaaaa';
const X = 'did:plc:xxxxxxxxxxxxxxxxxxxxxxxx';
let cursor = 1;

beforeAll(() => {
  db = openTestDatabase();
});
beforeEach(async () => {
  await resetGraph(db);
  await db.write(`MERGE (h:Hashtag {name: 'watchtag'}) MERGE (a:Actor {did: $a, handle: 'a.test'})-[:POSTED_WITH {posts: 1}]->(h) MERGE (:Actor {did: $x, handle: 'x.test'})`, { a: A, x: X });
});
afterAll(async () => {
  await db?.close();
});

const follow = (rkey: string): WatchChange => ({ kind: 'follow', did: A, rkey, subject: X, createdAt: '2026-12-01T00:00:00.000Z' });
const unfollow = (rkey: string): WatchChange => ({ kind: 'unfollow', did: A, rkey });

async function batch(...changes: WatchChange[]) {
  cursor++;
  return db.writeTx((tx) => applyWatchBatch(tx, { hashtag: 'watchtag', cursors: { members: cursor, posts: cursor }, changes }));
}

async function edge(): Promise<string[]> {
  return (await db.read<{ rkey: string }>(`MATCH (:Actor {did: $a})-[e:FOLLOWS]->(:Actor {did: $x}) RETURN e.rkey AS rkey`, { a: A, x: X })).map((r) => r.rkey);
}

describe('applyWatchBatch on one follow pair', () => {
  it('unfollow then follow again in one batch: the edge stands, with the new record', async () => {
    await batch(follow('r1'));
    expect(await edge()).toEqual(['r1']);
    const result = await batch(unfollow('r1'), follow('r2'));
    expect(await edge()).toEqual(['r2']);
    expect(result.unknownDeletes).toEqual([]);
  });

  it('follow, unfollow, follow again across batches', async () => {
    await batch(follow('r1'));
    await batch(unfollow('r1'));
    expect(await edge()).toEqual([]);
    await batch(follow('r2'));
    expect(await edge()).toEqual(['r2']);
    await batch(unfollow('r2'));
    expect(await edge()).toEqual([]);
  });

  it('a second record for a pair, then the first deleted, in one batch: the edge stands', async () => {
    await batch(follow('r1'));
    await batch(follow('r2'), unfollow('r1'));
    expect(await edge()).toEqual(['r2']);
  });

  it('a record made and deleted in one batch leaves nothing and is no unknown delete', async () => {
    const result = await batch(follow('r1'), unfollow('r1'));
    expect(await edge()).toEqual([]);
    expect(result.unknownDeletes).toEqual([]);
  });

  it('a delete no edge carries is reported for a re-read', async () => {
    const result = await batch(unfollow('r9'));
    expect(result.unknownDeletes).toEqual([{ did: A, rkey: 'r9' }]);
  });
});

describe('applyWatchBatch and deleted accounts', () => {
  const U = 'did:plc:uuuuuuuuuuuuuuuuuuuuuuuu';

  it('an account deleted before the graph knew it stays out: a late follow of it, a late post by it, a re-read naming it', async () => {
    // Jetstream's posts stream delivered U's deletion first; the members' stream, behind, then
    // brings A's follow of U made before it.
    await batch({ kind: 'account', did: U, active: false, status: 'deleted' });
    await batch({ kind: 'follow', did: A, rkey: 'r1', subject: U, createdAt: null }, { kind: 'post', did: U, at: '2026-12-01T00:00:00.000Z' });
    await db.writeTx((tx) => replaceFollowRecords(tx, 'watchtag', [{ did: A, records: [{ rkey: 'r1', subject: U, createdAt: null }, { rkey: 'r2', subject: X, createdAt: null }] }]));
    const rows = await db.read<{ target: string }>(`MATCH (:Actor {did: $a})-[:FOLLOWS]->(t) RETURN t.did AS target`, { a: A });
    expect(rows.map((r) => r.target)).toEqual([X]);
    expect(await db.read(`MATCH (:Actor {did: $u})-[r]-() RETURN r`, { u: U })).toEqual([]);
  });

  it('a deleted member: its late follows do not come back', async () => {
    await batch(follow('r1'));
    await batch({ kind: 'account', did: A, active: false, status: 'deleted' });
    await batch(follow('r2'));
    expect(await edge()).toEqual([]);
  });
});

describe('owed re-reads are recorded with the batch that causes them', () => {
  const N = 'did:plc:nnnnnnnnnnnnnnnnnnnnnnnn';
  const B = 'did:plc:bbbbbbbbbbbbbbbbbbbbbbbb';

  beforeEach(async () => {
    await db.write(`MATCH (h:Hashtag {name: 'watchtag'}) MERGE (:Actor {did: $b})-[:POSTED_WITH {posts: 1}]->(h)`, { b: B });
  });

  it('a new member, a delete no edge carries and a gap are owed; a read settles them', async () => {
    expect(await readOwedRereads(db, 'watchtag')).toEqual({ owed: [], deferred: [] });
    const result = await db.writeTx((tx) =>
      applyWatchBatch(tx, { hashtag: 'watchtag', cursors: { members: 10, posts: 10 }, changes: [{ kind: 'post', did: N, at: '2026-12-01T00:00:00.000Z' }, unfollow('unknown')], owe: [B] }),
    );
    expect(result.newMembers).toEqual([N]);
    expect(result.unknownDeletes).toEqual([{ did: A, rkey: 'unknown' }]);
    expect((await readOwedRereads(db, 'watchtag')).owed.sort()).toEqual([A, B, N].sort());
    // A replayed post of a member already known is not new, and owes nothing more.
    const replay = await db.writeTx((tx) => applyWatchBatch(tx, { hashtag: 'watchtag', cursors: { members: 10, posts: 10 }, changes: [{ kind: 'post', did: N, at: '2026-12-01T00:00:00.000Z' }] }));
    expect(replay.newMembers).toEqual([]);
    await db.writeTx(async (tx) => {
      await replaceFollowRecords(tx, 'watchtag', [{ did: A, records: [] }, { did: N, records: [] }]);
      await settleRereads(tx, 'watchtag', { read: [A, N], unreadable: [], owe: [] });
    });
    expect(await readOwedRereads(db, 'watchtag')).toEqual({ owed: [B], deferred: [] });
  });

  it('an unreadable repository is put off until an account event says it is active, then owed again', async () => {
    await db.writeTx((tx) => settleRereads(tx, 'watchtag', { read: [], unreadable: [B], owe: [] }));
    expect(await readOwedRereads(db, 'watchtag')).toEqual({ owed: [], deferred: [B] });
    const other = await batch({ kind: 'account', did: A, active: true, status: null });
    expect(other.reactivated).toEqual([]); // nothing was put off for A
    const back = await batch({ kind: 'account', did: B, active: true, status: null });
    expect(back.reactivated).toEqual([B]);
    expect(await readOwedRereads(db, 'watchtag')).toEqual({ owed: [B], deferred: [] });
  });
});
