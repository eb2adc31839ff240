/**
 * The live community frozen into what the XRPC methods read: a `Community` of the current
 * actors (same indexes as before, new accounts appended), the visible follow graph newest
 * first with each edge's rkey (the AppView's keyset cursor), and who is not active. Hidden
 * edges are those touching a deactivated or deleted account, as the AppView drops them.
 */
import type { Community, DevnetActor, DevnetPost } from '../community.js';
import type { FollowGraph } from '../follow-graph.js';
import type { AccountStatus } from './jetstream-events.js';
import type { LiveActor, LiveCommunity } from './live-community.js';

/** Follow lists with a sort key per entry, newest first. */
export interface KeyedIndex {
  readonly offsets: Int32Array;
  readonly items: Int32Array;
  readonly keys: readonly string[];
}

export interface LiveSnapshot {
  readonly community: Community;
  readonly statuses: ReadonlyMap<string, AccountStatus>;
  /** Follows of actor a: `items[offsets[a] .. offsets[a+1])`, keys are the record rkeys. */
  readonly follows: KeyedIndex;
  /** Followers of actor a, keyed `rkey:followerDid`. */
  readonly followers: KeyedIndex;
}

interface Edge {
  src: number;
  dst: number;
  rkey: string;
}

function keyed(count: number, edges: Edge[], side: 'src' | 'dst', key: (e: Edge) => string): KeyedIndex {
  const sorted = edges.map((e) => ({ e, k: key(e) })).sort((x, y) => x.e[side] - y.e[side] || (x.k < y.k ? 1 : x.k > y.k ? -1 : 0));
  const offsets = new Int32Array(count + 1);
  for (const { e } of sorted) offsets[e[side] + 1] = (offsets[e[side] + 1] as number) + 1;
  for (let a = 0; a < count; a++) offsets[a + 1] = (offsets[a + 1] as number) + (offsets[a] as number);
  const other = side === 'src' ? 'dst' : 'src';
  return { offsets, items: Int32Array.from(sorted, ({ e }) => e[other]), keys: sorted.map(({ k }) => k) };
}

export function buildSnapshot(live: LiveCommunity): LiveSnapshot {
  const actors = live.actors();
  const count = actors.length;
  const active = (a: LiveActor | undefined): boolean => a?.status === 'active';
  const statuses = new Map<string, AccountStatus>();
  const edges: Edge[] = [];
  for (const a of actors) {
    if (a.status !== 'active') {
      statuses.set(a.did, a.status);
      continue;
    }
    for (const r of live.followRecords(a.did)) {
      const target = live.actor(r.subject);
      if (target && active(target)) edges.push({ src: a.index, dst: target.index, rkey: r.rkey });
    }
  }
  const follows = keyed(count, edges, 'src', (e) => e.rkey);
  const didOf = (i: number): string => (actors[i] as LiveActor).did;
  const followers = keyed(count, edges, 'dst', (e) => `${e.rkey}:${didOf(e.src)}`);
  const followersCount = new Int32Array(count);
  for (const e of edges) followersCount[e.dst] = (followersCount[e.dst] as number) + 1;
  const graph: FollowGraph = { offsets: follows.offsets, targets: follows.items, followersCount };

  const devnetActors: DevnetActor[] = actors.map((a) => {
    const staticPosts = live.base.actors[a.index]?.postsCount ?? 0;
    return {
      index: a.index,
      did: a.did,
      handle: a.handle,
      ...(a.displayName !== undefined ? { displayName: a.displayName } : {}),
      ...(a.description !== undefined ? { description: a.description } : {}),
      ...(a.avatar !== undefined ? { avatar: a.avatar } : {}),
      createdAt: a.createdAt,
      indexedAt: a.indexedAt,
      postsCount: staticPosts + live.livePostsOf(a.index),
      followersCount: followersCount[a.index] as number,
      followsCount: (follows.offsets[a.index + 1] as number) - (follows.offsets[a.index] as number),
      isMember: a.status === 'active' && a.firstTagPostAt !== undefined,
    };
  });
  const visible = (p: DevnetPost): boolean => active(actors[p.author]);
  const posts = [...live.newPosts(), ...live.base.posts].filter(visible);
  const community: Community = { ...live.base, actors: devnetActors, posts, follows: graph };
  return { community, statuses, follows, followers };
}
