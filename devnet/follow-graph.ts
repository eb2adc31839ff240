/**
 * The follow graph, compact enough for a million edges: CSR arrays of actor indexes.
 * Out-degrees follow a truncated power law; targets are chosen by preferential attachment
 * (popular accounts get more popular), split between members and outsiders.
 */
import { chance, randInt, shuffle, type Rng } from './prng.js';
import { targetGroup, type PlantedGroups } from './topic-groups.js';

export interface FollowGraph {
  /** Follows of member m are `targets[offsets[m] .. offsets[m + 1])` (actor indexes). */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  /** In-degree of every actor (members and outsiders). */
  readonly followersCount: Int32Array;
}

export interface FollowGraphSpec {
  members: number;
  outsiders: number;
  meanFollows: number;
  maxFollows: number;
  /** Share of follows that point at other members (the rest at outsiders). */
  memberShare: number;
  /** Planted groups: a member's follows of members stay mostly inside its group (a block model). */
  planted?: PlantedGroups | null;
}

/** Share of members that follow nobody (lurkers, new accounts). */
const ZERO_SHARE = 0.06;
/** Pareto shape: < 2 gives the heavy tail seen in social graphs. */
const PARETO_SHAPE = 1.5;

/**
 * Out-degrees: Pareto draws scaled (by bisection) so the mean is `meanFollows`, truncated at
 * the smaller of `maxFollows` and the number of possible targets. Then we make sure the shapes
 * tests rely on exist when the community is big enough: a 0-follow member, several above 100,
 * one above 250.
 */
export function degreeSequence(rng: Rng, spec: FollowGraphSpec): Int32Array {
  const n = spec.members;
  const cap = Math.max(0, Math.min(spec.maxFollows, spec.members + spec.outsiders - 1));
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    raw[i] = chance(rng, ZERO_SHARE) ? 0 : Math.pow(1 - rng(), -1 / PARETO_SHAPE);
  }
  const total = (scale: number): number => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.min(cap, Math.round(scale * (raw[i] as number)));
    return sum;
  };
  const wanted = spec.meanFollows * n;
  let lo = 0;
  let hi = 1;
  while (total(hi) < wanted && hi < 1e9) hi *= 2;
  for (let iter = 0; iter < 50; iter++) {
    const mid = (lo + hi) / 2;
    if (total(mid) < wanted) lo = mid;
    else hi = mid;
  }
  const degrees = new Int32Array(n);
  for (let i = 0; i < n; i++) degrees[i] = Math.min(cap, Math.round(hi * (raw[i] as number)));

  if (n >= 5) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (degrees[b] as number) - (degrees[a] as number));
    const top = order[0] as number;
    if (cap > 250 && (degrees[top] as number) <= 250) degrees[top] = Math.min(cap, randInt(rng, 251, 400));
    const wantedAbove100 = Math.min(5, Math.floor(n / 10));
    for (let k = 0; k < wantedAbove100 && cap > 100; k++) {
      const m = order[k] as number;
      if ((degrees[m] as number) <= 100) degrees[m] = Math.min(cap, randInt(rng, 101, 200));
    }
    const bottom = order[n - 1] as number;
    if (!degrees.includes(0)) degrees[bottom] = 0;
  }
  return degrees;
}

/** A multiset of actor indexes: drawing from it is proportional to (1 + times followed). */
class Urn {
  private readonly items: Int32Array;
  private size = 0;
  constructor(
    readonly first: number,
    readonly count: number,
    capacity: number,
  ) {
    this.items = new Int32Array(count + capacity);
    for (let i = 0; i < count; i++) this.items[this.size++] = first + i;
  }
  draw(rng: Rng): number {
    // A uniform draw now and then keeps the tail of unpopular accounts reachable.
    if (chance(rng, 0.25)) return this.first + Math.floor(rng() * this.count);
    return this.items[Math.floor(rng() * this.size)] as number;
  }
  add(actor: number): void {
    if (this.size < this.items.length) this.items[this.size++] = actor;
  }
}

export function generateFollowGraph(rng: Rng, spec: FollowGraphSpec): FollowGraph {
  const actors = spec.members + spec.outsiders;
  const degrees = degreeSequence(rng, spec);
  const offsets = new Int32Array(spec.members + 1);
  for (let m = 0; m < spec.members; m++) offsets[m + 1] = (offsets[m] as number) + (degrees[m] as number);
  const edgeCount = offsets[spec.members] as number;
  const targets = new Int32Array(edgeCount);
  const followersCount = new Int32Array(actors);
  const memberUrn = new Urn(0, spec.members, Math.ceil(edgeCount * spec.memberShare) + 16);
  const outsiderUrn = new Urn(spec.members, spec.outsiders, edgeCount + 16);
  const planted = spec.planted ?? null;
  // One urn per planted group (its index block), so attachment is preferential inside the group.
  // Bridging accounts sit in every group's urn: members of all groups follow them, as they follow all groups.
  const groupUrns = planted
    ? planted.topics.map((_, g) => {
        const first = planted.starts[g] as number;
        const count = (planted.starts[g + 1] as number) - first;
        const urn = new Urn(first, count, Math.ceil(edgeCount * spec.memberShare) + planted.bridges.size + 16);
        for (const bridge of planted.bridges) if (planted.groupOf[bridge] !== g) urn.add(bridge);
        return urn;
      })
    : [];
  // stamp[a] === m + 1 means member m already follows actor a (or a is m).
  const stamp = new Int32Array(actors);

  // Members attach in random order so early indexes are not systematically the hubs.
  const order = shuffle(rng, Array.from({ length: spec.members }, (_, i) => i));
  for (const m of order) {
    const mark = m + 1;
    stamp[m] = mark;
    let write = offsets[m] as number;
    const end = offsets[m + 1] as number;
    let membersLeft = spec.members - 1;
    let outsidersLeft = spec.outsiders;
    while (write < end) {
      const wantMember = membersLeft > 0 && (outsidersLeft === 0 || chance(rng, spec.memberShare));
      const groupUrn = wantMember && planted ? groupUrns[targetGroup(rng, planted, m)] : undefined;
      let target = groupUrn ? drawFree(rng, groupUrn, stamp, mark) : -1;
      if (target < 0) target = drawFree(rng, wantMember ? memberUrn : outsiderUrn, stamp, mark);
      if (target < 0) {
        // This group is exhausted for m; the other one still has room (degree ≤ actors - 1).
        if (wantMember) membersLeft = 0;
        else outsidersLeft = 0;
        continue;
      }
      stamp[target] = mark;
      if (wantMember) membersLeft--;
      else outsidersLeft--;
      targets[write++] = target;
      followersCount[target] = (followersCount[target] as number) + 1;
      if (wantMember) memberUrn.add(target);
      else outsiderUrn.add(target);
      // Popular within the urn it was drawn from (its group's; any group's for a bridge).
      if (planted && wantMember) (groupUrn ?? groupUrns[planted.groupOf[target] as number])?.add(target);
    }
  }
  return { offsets, targets, followersCount };
}

/** An actor of the urn's range that `mark`'s member does not follow yet, or -1 if there is none. */
function drawFree(rng: Rng, urn: Urn, stamp: Int32Array, mark: number): number {
  for (let attempt = 0; attempt < 32; attempt++) {
    const candidate = urn.draw(rng);
    if (stamp[candidate] !== mark) return candidate;
  }
  // Saturated corner of the graph: scan for any free actor of that range.
  const start = Math.floor(rng() * urn.count);
  for (let k = 0; k < urn.count; k++) {
    const candidate = urn.first + ((start + k) % urn.count);
    if (stamp[candidate] !== mark) return candidate;
  }
  return -1;
}

export function followCount(graph: FollowGraph, member: number): number {
  if (member + 1 >= graph.offsets.length) return 0;
  return (graph.offsets[member + 1] as number) - (graph.offsets[member] as number);
}

export function followsOf(graph: FollowGraph, member: number): Int32Array {
  if (member + 1 >= graph.offsets.length) return new Int32Array(0);
  return graph.targets.subarray(graph.offsets[member] as number, graph.offsets[member + 1] as number);
}

/** Reverse CSR (who follows actor a), built once per graph on first use by getFollowers. */
export interface FollowerIndex {
  readonly offsets: Int32Array;
  readonly sources: Int32Array;
}

const followerIndexes = new WeakMap<FollowGraph, FollowerIndex>();

export function followerIndex(graph: FollowGraph): FollowerIndex {
  const cached = followerIndexes.get(graph);
  if (cached) return cached;
  const actors = graph.followersCount.length;
  const offsets = new Int32Array(actors + 1);
  for (let a = 0; a < actors; a++) offsets[a + 1] = (offsets[a] as number) + (graph.followersCount[a] as number);
  const fill = offsets.slice(0, actors);
  const sources = new Int32Array(graph.targets.length);
  const members = graph.offsets.length - 1;
  for (let m = 0; m < members; m++) {
    for (let e = graph.offsets[m] as number; e < (graph.offsets[m + 1] as number); e++) {
      const t = graph.targets[e] as number;
      sources[fill[t] as number] = m;
      fill[t] = (fill[t] as number) + 1;
    }
  }
  const index = { offsets, sources };
  followerIndexes.set(graph, index);
  return index;
}
