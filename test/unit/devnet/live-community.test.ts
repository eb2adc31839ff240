/** LiveCommunity without a server: records, mutations, the event log and the truth. */
import { describe, expect, it } from '@jest/globals';
import { generateCommunity, followsOf, mulberry32, type DevnetActor } from '../../../devnet/index.js';
import { LiveCommunity, randomMutations } from '../../../devnet/live/index.js';
import { buildSnapshot } from '../../../devnet/live/live-snapshot.js';

const community = generateCommunity({ members: 30, seed: 5 });

function fakeClock(startMs: number): () => number {
  let t = startMs;
  return () => (t += 3);
}

describe('LiveCommunity', () => {
  it('turns the static follows into deterministic follow records in rkey order', () => {
    const a = new LiveCommunity(community);
    const b = new LiveCommunity(community);
    const member = community.actors.find((x) => followsOf(community.follows, x.index).length > 5) as DevnetActor;
    const records = a.followRecords(member.did);
    expect(records).toEqual(b.followRecords(member.did));
    expect(new Set(records.map((r) => r.subject))).toEqual(new Set(Array.from(followsOf(community.follows, member.index), (t) => community.actors[t]!.did)));
    const rkeys = records.map((r) => r.rkey);
    expect([...rkeys].sort()).toEqual(rkeys);
    expect(new Set(rkeys).size).toBe(rkeys.length);
    for (const r of records) {
      expect(r.rkey).toMatch(/^[234567a-z]{13}$/);
      expect(r.createdAt > member.createdAt).toBe(true);
      expect(r.createdAt < community.options.baseTime).toBe(true);
    }
  });

  it('logs every mutation as Jetstream events with strictly increasing time_us', () => {
    const live = new LiveCommunity(community, { clock: () => 1_750_000_000_000 });
    const [m0, m1] = community.actors;
    const outsider = community.actors[community.memberCount + 3] as DevnetActor;
    const already = new Set(live.followRecords(m0!.did).map((r) => r.subject));
    const target = community.actors.find((x) => x.did !== m0!.did && !already.has(x.did)) as DevnetActor;
    const follow = live.follow(m0!.did, target.did);
    expect(follow.events[0]).toMatchObject({ did: m0!.did, kind: 'commit', commit: { operation: 'create', collection: 'app.bsky.graph.follow', rkey: follow.record!.rkey, record: { subject: target.did } } });
    const unfollow = live.unfollow(m0!.did, follow.record!.rkey);
    expect(unfollow.events[0]).toMatchObject({ kind: 'commit', commit: { operation: 'delete', rkey: follow.record!.rkey } });
    expect((unfollow.events[0] as { commit: object }).commit).not.toHaveProperty('record');

    const post = live.post(outsider.did, `joining the fun #${community.hashtag}`);
    expect(post.becameMember).toBe(true);
    live.changeHandle(m1!.did, 'renamed.devnet.test');
    live.updateProfile(m1!.did, { displayName: 'New Name' });
    live.deactivate(m1!.did);
    live.reactivate(m1!.did);
    live.deleteAccount(outsider.did);
    const times = live.log.since(0).map((e) => e.time_us);
    expect(times.length).toBe(8);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
    expect(live.log.since(times[3]!).map((e) => e.kind)).toEqual(['identity', 'commit', 'account', 'account', 'account']);
    expect(live.log.since(0).at(-1)).toMatchObject({ kind: 'account', account: { active: false, status: 'deleted', did: outsider.did } });
    expect(live.actor('renamed.devnet.test')?.did).toBe(m1!.did);
    expect(live.actor(m1!.handle)).toBeUndefined();
  });

  it('keeps truth() and the served snapshot in step with a random mix of mutations', () => {
    const live = new LiveCommunity(community, { clock: fakeClock(1_750_000_000_000) });
    const done = randomMutations(live, mulberry32(9), 300);
    expect(done.length).toBe(300);
    const ops = new Set(done.map((m) => m.op));
    for (const op of ['follow', 'unfollow', 'post', 'createAccount', 'updateProfile', 'changeHandle']) expect(ops).toContain(op);

    const again = new LiveCommunity(community, { clock: fakeClock(1_750_000_000_000) });
    expect(randomMutations(again, mulberry32(9), 300).map((m) => [m.op, m.did])).toEqual(done.map((m) => [m.op, m.did]));

    const truth = live.truth();
    expect(truth.cursorUs).toBe(live.log.lastTimeUs);
    const snapshot = buildSnapshot(live);
    for (const m of truth.members) expect(snapshot.community.actors.find((a) => a.did === m.did)?.isMember).toBe(true);
    // The served graph is exactly the follows between active accounts.
    let visible = 0;
    for (const [did, records] of truth.follows) {
      if (truth.actors.get(did)?.status !== 'active') continue;
      visible += records.filter((r) => truth.actors.get(r.subject)?.status === 'active').length;
    }
    expect(snapshot.follows.items.length).toBe(visible);
    const gone = [...truth.actors.values()].filter((a) => a.status !== 'active').map((a) => a.did);
    expect(truth.edges.some((e) => gone.includes(e.src) || gone.includes(e.dst))).toBe(false);
  });

  it('refuses writes that the network would refuse', () => {
    const live = new LiveCommunity(community);
    const m = community.actors[0]!;
    expect(() => live.follow(m.did, m.did)).toThrow();
    expect(() => live.changeHandle(m.did, community.actors[1]!.handle)).toThrow(/taken/);
    live.deactivate(m.did);
    expect(() => live.post(m.did, 'hello')).toThrow(/deactivated/);
    live.deleteAccount(m.did);
    expect(live.followRecords(m.did)).toEqual([]);
    expect(() => live.reactivate(m.did)).toThrow();
  });
});
