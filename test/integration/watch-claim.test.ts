/**
 * One watcher per hashtag (graph/watch-claim.ts) in real Neo4j: a live holder refuses a second
 * watcher, a lapsed or dead one (same host, process gone) is taken over, every write proves the
 * token, and a release frees the hashtag for the next watcher at once.
 */
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { GraphDatabase } from '../../src/graph/database.js';
import { assertWatchClaim, claimWatch, readWatchClaim, releaseWatchClaim, WatchBusyError, WatchClaimLostError, type WatchHolder } from '../../src/graph/watch-claim.js';
import { holderDiedHere } from '../../src/watch/watch-holder.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
const TAG = 'claimtag';
const holder = (id: string, pid = process.pid, host = hostname()): WatchHolder => ({ id, host, pid });
const neverDead = () => false;

beforeAll(() => {
  db = openTestDatabase();
});
beforeEach(async () => {
  await resetGraph(db);
});
afterAll(async () => {
  await db?.close();
});

describe('the watch claim', () => {
  it('refuses a second watcher while the first holds it, with who holds it; a release frees it', async () => {
    const first = await claimWatch(db, TAG, holder('a'), 30_000, neverDead);
    const refused = await claimWatch(db, TAG, holder('b'), 30_000, neverDead).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WatchBusyError);
    expect((refused as WatchBusyError).code).toBe('CONFLICT');
    expect((refused as Error).message).toContain(`pid ${process.pid} on ${hostname()}`);
    expect(await readWatchClaim(db, TAG)).toMatchObject({ holder: { id: 'a' }, expired: false });
    await releaseWatchClaim(db, first);
    expect(await readWatchClaim(db, TAG)).toBeNull();
    const second = await claimWatch(db, TAG, holder('b'), 30_000, neverDead);
    expect(second.token).toBe(first.token + 1);
  });

  it('a lapsed claim is taken over, and its old holder can write no more', async () => {
    const old = await claimWatch(db, TAG, holder('a'), 200, neverDead);
    await db.writeTx((tx) => assertWatchClaim(tx, old)); // renewal while held
    await new Promise((r) => setTimeout(r, 400));
    const next = await claimWatch(db, TAG, holder('b'), 30_000, neverDead);
    const write = await db.writeTx((tx) => assertWatchClaim(tx, old)).catch((e: unknown) => e);
    expect(write).toBeInstanceOf(WatchClaimLostError);
    await db.writeTx((tx) => assertWatchClaim(tx, next));
    // A release with the old token leaves the new holder's claim alone.
    await releaseWatchClaim(db, old);
    expect(await readWatchClaim(db, TAG)).toMatchObject({ holder: { id: 'b' } });
  });

  it('a holder on this host whose process is gone is taken over at once; a live process is not', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    try {
      await claimWatch(db, TAG, holder('child', child.pid!), 30_000, neverDead);
      await expect(claimWatch(db, TAG, holder('me'), 30_000, holderDiedHere)).rejects.toBeInstanceOf(WatchBusyError);
      child.kill('SIGKILL');
      await exited;
      const taken = await claimWatch(db, TAG, holder('me'), 30_000, holderDiedHere);
      expect(taken.holder.id).toBe('me');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('another host\'s claim is never judged dead by its pid', async () => {
    await claimWatch(db, TAG, holder('far', 999_999, 'another-host'), 30_000, neverDead);
    await expect(claimWatch(db, TAG, holder('me'), 30_000, holderDiedHere)).rejects.toBeInstanceOf(WatchBusyError);
  });
});

