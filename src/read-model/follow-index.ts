/**
 * The follow graph of one graph version as typed arrays (CSR), answering the API's graph reads in
 * microseconds with exactly the answers of their Cypher in src/graph/: same filters, same order,
 * same cursors, same truncation. Built from a snapshot, never changed: a new version is a new index.
 *
 * Neighbour lists are sorted by each actor's rank in the API's list order (handle, or DID when
 * there is none, then DID), so a page after a cursor is a binary search and a slice.
 */
import type { ActorListFilter, ActorListOrder, ActorRecord, InGraphCounts, Keyset, Neighbours, SkeletonPage } from '../graph/actor-queries.js';
import type { CommunityGraphSkeleton } from '../graph/community-graph-queries.js';
import type { FollowGraphSnapshot } from '../graph/follow-graph-snapshot.js';
import type { GraphFingerprint } from '../graph/graph-version.js';
import type { HashtagStatsRecord } from '../graph/hashtag-queries.js';
import { MAX_SUBGRAPH_EDGES, type Direction, type NeighbourhoodSkeleton, type RelationshipSkeleton } from '../graph/relationship-queries.js';
import { ActorLists } from './actor-lists.js';
import { Csr } from './csr.js';


export class FollowIndex {
  readonly version: GraphFingerprint;
  readonly actorCount: number;
  readonly followCount: number;
  private readonly actors: ActorRecord[];
  /** coalesce(handle, did): the API's list key. */
  private readonly keys: string[];
  private readonly rankOf: Int32Array;
  private readonly byRank: Int32Array;
  private readonly out: Csr;
  private readonly in: Csr;
  private readonly ordinalOfDid = new Map<string, number>();
  private readonly ordinalOfHandle = new Map<string, number>();
  private readonly memberMasks = new Map<string, Uint8Array>();
  private readonly memberLists: Map<string, Int32Array>;
  private hashtagStatsMemo: HashtagStatsRecord[] | null = null;
  private readonly lastIngestAt: Map<string, string | null>;
  /** Ordinal → position in DID order, and back: the Cypher's `ORDER BY did` as integer sorts. */
  private readonly didRank: Int32Array;
  private readonly byDidRank: Int32Array;
  private readonly lists: ActorLists;

  constructor(snapshot: FollowGraphSnapshot) {
    const n = snapshot.actors.length;
    this.version = snapshot.version;
    this.actorCount = n;
    this.followCount = snapshot.sources.length;
    this.actors = snapshot.actors;
    this.keys = snapshot.actors.map((a) => a.handle ?? a.did);
    this.byRank = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => compareKeyed(this.keys[x]!, this.actors[x]!.did, this.keys[y]!, this.actors[y]!.did));
    this.rankOf = new Int32Array(n);
    for (let r = 0; r < n; r++) this.rankOf[this.byRank[r]!] = r;
    this.out = Csr.build(n, snapshot.sources, snapshot.targets, this.rankOf);
    this.in = Csr.build(n, snapshot.targets, snapshot.sources, this.rankOf);
    snapshot.actors.forEach((a, i) => this.ordinalOfDid.set(a.did, i));
    // A handle that moved to another account can sit on two nodes until the old one is re-crawled:
    // the most recently fetched profile wins, then the lower DID (resolveActorRefs' rule).
    snapshot.actors.forEach((a, i) => {
      if (a.handle === null) return;
      const seen = this.ordinalOfHandle.get(a.handle);
      if (seen === undefined) return void this.ordinalOfHandle.set(a.handle, i);
      const [f, g] = [snapshot.fetchedAt[i]!, snapshot.fetchedAt[seen]!];
      if (f > g || (f === g && a.did < this.actors[seen]!.did)) this.ordinalOfHandle.set(a.handle, i);
    });
    this.lists = new ActorLists(snapshot.actors);
    this.lastIngestAt = snapshot.lastIngestAt;
    this.byDidRank = Int32Array.from({ length: n }, (_, i) => i).sort((x, y) => compareStrings(this.actors[x]!.did, this.actors[y]!.did));
    this.didRank = new Int32Array(n);
    for (let r = 0; r < n; r++) this.didRank[this.byDidRank[r]!] = r;
    this.memberLists = snapshot.members;
    for (const [name, list] of snapshot.members) {
      const mask = new Uint8Array(n);
      for (const m of list) mask[m] = 1;
      this.memberMasks.set(name, mask);
    }
  }

  actor(did: string): ActorRecord | undefined {
    const i = this.ordinalOfDid.get(did);
    return i === undefined ? undefined : this.actors[i];
  }

  /** DIDs and handles → DIDs; no entry for those not in the graph. */
  resolveRefs(refs: { dids: readonly string[]; handles: readonly string[] }): { dids: Map<string, string>; handles: Map<string, string> } {
    const dids = new Map<string, string>();
    const handles = new Map<string, string>();
    for (const did of refs.dids) if (this.ordinalOfDid.has(did)) dids.set(did, did);
    for (const handle of refs.handles) {
      const i = this.ordinalOfHandle.get(handle);
      if (i !== undefined) handles.set(handle, this.actors[i]!.did);
    }
    return { dids, handles };
  }

  /** A page of `actors(…)` in FOLLOWERS, HANDLE or (stored-on-node) PAGERANK order (actorsPage). */
  actorsPage(args: ActorListFilter & { order: ActorListOrder; first: number; after: Keyset | null }): SkeletonPage {
    const mask = this.maskOf(args.hashtag);
    return this.lists.page(args, (i) => mask === null || mask[i] === 1);
  }

  countActors(filter: ActorListFilter): number {
    const mask = this.maskOf(filter.hashtag);
    return this.lists.count(filter, (i) => mask === null || mask[i] === 1);
  }

  /** One page of an actor's follows, followers or mutuals, by handle then DID (neighbourPages). */
  neighbourPage(relation: Neighbours, did: string, hashtag: string | null, first: number, after: Keyset | null): SkeletonPage {
    const a = this.ordinalOfDid.get(did);
    if (a === undefined) return { items: [], hasNextPage: false };
    const csr = relation === 'FOLLOWERS' ? this.in : this.out;
    const mask = this.maskOf(hashtag);
    const items: Keyset[] = [];
    const end = csr.start[a + 1]!;
    for (let p = csr.firstAfter(a, this.rankAfter(after)); p < end; p++) {
      const b = csr.neighbours[p]!;
      if (mask !== null && mask[b] !== 1) continue;
      if (relation === 'MUTUALS' && (b === a || !this.out.has(b, this.rankOf[a]!))) continue;
      if (items.length === first) return { items, hasNextPage: true };
      items.push({ key: this.keys[b]!, did: this.actors[b]!.did });
    }
    return { items, hasNextPage: false };
  }

  /** FOLLOWS present in the graph, optionally only those whose other end is a member (inGraphCounts). */
  counts(did: string, hashtag: string | null): InGraphCounts {
    const a = this.ordinalOfDid.get(did);
    if (a === undefined) return { followers: 0, follows: 0, mutuals: 0 };
    const mask = this.maskOf(hashtag);
    const rankA = this.rankOf[a]!;
    let follows = 0;
    let mutuals = 0;
    for (let p = this.out.start[a]!; p < this.out.start[a + 1]!; p++) {
      const b = this.out.neighbours[p]!;
      if (mask !== null && mask[b] !== 1) continue;
      follows++;
      if (b !== a && this.out.has(b, rankA)) mutuals++;
    }
    let followers = 0;
    for (let p = this.in.start[a]!; p < this.in.start[a + 1]!; p++) if (mask === null || mask[this.in.neighbours[p]!] === 1) followers++;
    return { followers, follows, mutuals };
  }

  /** Actors both `a` and `b` (two distinct actors) follow, by handle (commonFollowsPage). */
  commonFollowsPage(didA: string, didB: string, first: number, after: Keyset | null): SkeletonPage {
    const items: Keyset[] = [];
    let hasNextPage = false;
    this.eachCommonFollow(didA, didB, after, (b) => {
      if (items.length === first) {
        hasNextPage = true;
        return false;
      }
      items.push({ key: this.keys[b]!, did: this.actors[b]!.did });
      return true;
    });
    return { items, hasNextPage };
  }

  countCommonFollows(didA: string, didB: string): number {
    let n = 0;
    this.eachCommonFollow(didA, didB, null, () => (n++, true));
    return n;
  }

  /** Breadth-first with the Cypher's rules (relationship-queries.ts neighbourhood): see there. */
  neighbourhood(args: { center: string; depth: number; direction: Direction; hashtag: string | null; limit: number }): NeighbourhoodSkeleton {
    const center = this.ordinalOfDid.get(args.center);
    if (center === undefined) return { dids: [args.center], edges: [], truncated: false };
    const mask = this.maskOf(args.hashtag);
    const seen = new Uint8Array(this.actorCount);
    seen[center] = 1;
    const chosen = [center];
    let frontier = [center];
    let truncated = false;
    for (let hop = 1; hop <= args.depth && frontier.length > 0 && !truncated; hop++) {
      const room = args.limit - chosen.length;
      const found = this.expand(frontier, args.direction, seen, mask);
      if (room <= 0) {
        truncated = found.length > 0;
        break;
      }
      // Nearer actors first; at the hop where the cut falls, the lowest DIDs.
      const sorted = this.inDidOrder(found);
      if (sorted.length > room) {
        truncated = true;
        sorted.length = room;
      }
      for (const b of sorted) seen[b] = 1;
      chosen.push(...sorted);
      frontier = sorted;
    }
    const inSet = new Uint8Array(this.actorCount);
    for (const x of chosen) inSet[x] = 1;
    const sources = this.inDidOrder(chosen);
    const edges: Array<[string, string]> = [];
    for (const s of sources) {
      const targets: number[] = [];
      for (let p = this.out.start[s]!; p < this.out.start[s + 1]!; p++) if (inSet[this.out.neighbours[p]!] === 1) targets.push(this.out.neighbours[p]!);
      for (const t of this.inDidOrder(targets)) {
        if (edges.length === MAX_SUBGRAPH_EDGES) return { dids: chosen.map((x) => this.actors[x]!.did), edges, truncated: true };
        edges.push([this.actors[s]!.did, this.actors[t]!.did]);
      }
    }
    return { dids: chosen.map((x) => this.actors[x]!.did), edges, truncated };
  }

  /** Whether a and b (distinct) follow each other, and their directed and undirected distances. */
  relationship(didA: string, didB: string): RelationshipSkeleton {
    const a = this.ordinalOfDid.get(didA);
    const b = this.ordinalOfDid.get(didB);
    if (a === undefined || b === undefined) return { aFollowsB: false, bFollowsA: false, shortestPathLength: null, undirectedPathLength: null };
    if (a === b) {
      const self = this.out.has(a, this.rankOf[a]!);
      return { aFollowsB: self, bFollowsA: self, shortestPathLength: 0, undirectedPathLength: 0 };
    }
    return {
      aFollowsB: this.out.has(a, this.rankOf[b]!),
      bFollowsA: this.out.has(b, this.rankOf[a]!),
      shortestPathLength: this.distance(a, b, false),
      undirectedPathLength: this.distance(a, b, true),
    };
  }

  /** Every Hashtag's sizes and last ingest, most members first (hashtagStats); computed once per version. */
  hashtagStats(): HashtagStatsRecord[] {
    if (this.hashtagStatsMemo) return this.hashtagStatsMemo;
    const rows: HashtagStatsRecord[] = [];
    const outsider = new Uint8Array(this.actorCount);
    for (const [name, list] of this.memberLists) {
      const mask = this.memberMasks.get(name)!;
      let follows = 0;
      let outgoingFollows = 0;
      let outsiders = 0;
      outsider.fill(0);
      for (const m of list) {
        for (let p = this.out.start[m]!; p < this.out.start[m + 1]!; p++) {
          const t = this.out.neighbours[p]!;
          outgoingFollows++;
          if (mask[t] === 1) follows++;
          else if (outsider[t] === 0) {
            outsider[t] = 1;
            outsiders++;
          }
        }
      }
      rows.push({ name, members: list.length, follows, actors: list.length + outsiders, outgoingFollows, lastIngestAt: this.lastIngestAt.get(name) ?? null });
    }
    rows.sort((x, y) => y.members - x.members || compareStrings(x.name, y.name));
    return (this.hashtagStatsMemo = rows);
  }

  /** The graph view's graph with communityGraph's rules (community-graph-queries.ts): see there. */
  communityGraph(args: { hashtag: string; scope: 'COMMUNITY' | 'ALL'; limit: number }): CommunityGraphSkeleton {
    const list = this.memberLists.get(args.hashtag);
    if (!list) return { dids: [], edges: [], truncated: false };
    let members = this.inDidOrder(Array.from(list));
    let truncated = members.length > args.limit;
    members = members.slice(0, args.limit);
    const inSet = new Uint8Array(this.actorCount);
    for (const m of members) inSet[m] = 1;
    let chosen = members;
    if (args.scope === 'ALL' && members.length < args.limit) {
      const room = args.limit - members.length;
      const followed: number[] = [];
      const taken = new Uint8Array(this.actorCount);
      for (const m of members) {
        for (let p = this.out.start[m]!; p < this.out.start[m + 1]!; p++) {
          const t = this.out.neighbours[p]!;
          if (inSet[t] === 0 && taken[t] === 0) {
            taken[t] = 1;
            followed.push(t);
          }
        }
      }
      const sortedFollowed = this.inDidOrder(followed);
      truncated ||= sortedFollowed.length > room;
      const kept = sortedFollowed.slice(0, room);
      for (const t of kept) inSet[t] = 1;
      chosen = [...members, ...kept];
    }
    const edges: Array<[string, string]> = [];
    for (const m of members) {
      const source = this.actors[m]!.did;
      for (let p = this.out.start[m]!; p < this.out.start[m + 1]!; p++) {
        const t = this.out.neighbours[p]!;
        if (inSet[t] === 0) continue;
        if (edges.length === MAX_SUBGRAPH_EDGES) return { dids: chosen.map((x) => this.actors[x]!.did), edges, truncated: true };
        edges.push([source, this.actors[t]!.did]);
      }
    }
    return { dids: chosen.map((x) => this.actors[x]!.did), edges, truncated };
  }

  /** The ordinals sorted by DID, as an integer sort (typed arrays sort numbers natively). */
  private inDidOrder(ordinals: readonly number[]): number[] {
    const ranks = new Int32Array(ordinals.length);
    for (let i = 0; i < ordinals.length; i++) ranks[i] = this.didRank[ordinals[i]!]!;
    ranks.sort();
    const out = new Array<number>(ranks.length);
    for (let i = 0; i < ranks.length; i++) out[i] = this.byDidRank[ranks[i]!]!;
    return out;
  }

  /** How many follows `visitScope` would visit. */
  scopeFollowCount(scope: { hashtag: string | null; scope: 'COMMUNITY' | 'ALL' }): number {
    if (scope.hashtag === null) return this.followCount;
    if (scope.scope === 'COMMUNITY') return this.hashtagStats().find((h) => h.name === scope.hashtag)?.follows ?? 0;
    return this.hashtagStats().find((h) => h.name === scope.hashtag)?.outgoingFollows ?? 0;
  }

  /**
   * A scope's actors and follows (analytics-queries.ts streamScopeActors/streamScopeFollows):
   * hashtag null is the whole graph; COMMUNITY the members and the follows among them; ALL the
   * members, everyone they follow, and the members' follows.
   */
  visitScope(scope: { hashtag: string | null; scope: 'COMMUNITY' | 'ALL' }, actor: (did: string, handle: string | null) => void, follow: (source: string, target: string) => void): void {
    const visitActor = (i: number) => actor(this.actors[i]!.did, this.actors[i]!.handle);
    const visitFollows = (i: number, keep: (t: number) => boolean) => {
      for (let p = this.out.start[i]!; p < this.out.start[i + 1]!; p++) {
        const t = this.out.neighbours[p]!;
        if (keep(t)) follow(this.actors[i]!.did, this.actors[t]!.did);
      }
    };
    if (scope.hashtag === null) {
      for (let i = 0; i < this.actorCount; i++) visitActor(i);
      for (let i = 0; i < this.actorCount; i++) visitFollows(i, () => true);
      return;
    }
    const members = this.memberLists.get(scope.hashtag);
    if (!members) return;
    const mask = this.memberMasks.get(scope.hashtag)!;
    const inScope = new Uint8Array(this.actorCount);
    for (const m of members) inScope[m] = 1;
    if (scope.scope === 'ALL') for (const m of members) visitFollows(m, (t) => ((inScope[t] = 1), false));
    for (let i = 0; i < this.actorCount; i++) if (inScope[i] === 1) visitActor(i);
    for (const m of members) visitFollows(m, scope.scope === 'ALL' ? () => true : (t) => mask[t] === 1);
  }

  private maskOf(hashtag: string | null): Uint8Array | null {
    if (hashtag === null) return null;
    return this.memberMasks.get(hashtag) ?? EMPTY_MASK;
  }

  /** The first rank strictly after a keyset position; 0 without one (the position need not exist). */
  private rankAfter(after: Keyset | null): number {
    if (after === null) return 0;
    const key = String(after.key);
    let lo = 0;
    let hi = this.actorCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const i = this.byRank[mid]!;
      if (compareKeyed(this.keys[i]!, this.actors[i]!.did, key, after.did) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Calls `visit` with each actor both follow, in rank order, until it returns false. */
  private eachCommonFollow(didA: string, didB: string, after: Keyset | null, visit: (b: number) => boolean): void {
    const a = this.ordinalOfDid.get(didA);
    const b = this.ordinalOfDid.get(didB);
    if (a === undefined || b === undefined) return;
    const threshold = this.rankAfter(after);
    let p = this.out.firstAfter(a, threshold);
    let q = this.out.firstAfter(b, threshold);
    const endP = this.out.start[a + 1]!;
    const endQ = this.out.start[b + 1]!;
    while (p < endP && q < endQ) {
      const x = this.out.neighbours[p]!;
      const y = this.out.neighbours[q]!;
      const rx = this.rankOf[x]!;
      const ry = this.rankOf[y]!;
      if (rx < ry) p++;
      else if (ry < rx) q++;
      else {
        // The two follows have different sources, so Cypher matches them even when x is a or b.
        if (!visit(x)) return;
        p++;
        q++;
      }
    }
  }

  private expand(frontier: number[], direction: Direction, seen: Uint8Array, mask: Uint8Array | null): number[] {
    const found: number[] = [];
    const taken = new Uint8Array(this.actorCount);
    const walk = (csr: Csr) => {
      for (const f of frontier) {
        for (let p = csr.start[f]!; p < csr.start[f + 1]!; p++) {
          const b = csr.neighbours[p]!;
          if (seen[b] === 1 || taken[b] === 1 || (mask !== null && mask[b] !== 1)) continue;
          taken[b] = 1;
          found.push(b);
        }
      }
    };
    if (direction !== 'IN') walk(this.out);
    if (direction !== 'OUT') walk(this.in);
    return found;
  }

  /** Breadth-first hops from a to b (a ≠ b), along FOLLOWS or ignoring direction; null if unreachable. */
  private distance(a: number, b: number, undirected: boolean): number | null {
    const seen = new Uint8Array(this.actorCount);
    seen[a] = 1;
    let frontier = [a];
    for (let hops = 1; frontier.length > 0; hops++) {
      const next: number[] = [];
      for (const f of frontier) {
        for (const csr of undirected ? [this.out, this.in] : [this.out]) {
          for (let p = csr.start[f]!; p < csr.start[f + 1]!; p++) {
            const t = csr.neighbours[p]!;
            if (t === b) return hops;
            if (seen[t] === 0) {
              seen[t] = 1;
              next.push(t);
            }
          }
        }
      }
      frontier = next;
    }
    return null;
  }
}

const EMPTY_MASK = new Uint8Array(0);

/** Code-unit order: what Cypher's ORDER BY and `>` on strings use (both compare UTF-16 units). */
function compareStrings(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeyed(keyX: string, didX: string, keyY: string, didY: string): number {
  return compareStrings(keyX, keyY) || compareStrings(didX, didY);
}
