/**
 * The `actors(…)` list of actor-queries.ts (actorsPage, countActors) over one graph version: each
 * order sorted once, a page is a binary search to the cursor and a filtered walk from there.
 */
import type { ActorListFilter, ActorListOrder, ActorRecord, Keyset, SkeletonPage } from '../graph/actor-queries.js';

interface SortedOrder {
  /** Ordinals in list order. */
  readonly ordinals: Int32Array;
  readonly key: (a: ActorRecord) => number | string;
  /** < 0 when x comes first. */
  readonly compare: (keyX: number | string, didX: string, keyY: number | string, didY: string) => number;
}

// The Cypher's keys (ORDER_KEYS in actor-queries.ts): never null, the DID breaks ties ascending.
const KEYS: Record<ActorListOrder, { key: (a: ActorRecord) => number | string; descending: boolean }> = {
  FOLLOWERS: { key: (a) => a.followersCount ?? -1, descending: true },
  PAGERANK: { key: (a) => a.pagerank ?? -1, descending: true },
  HANDLE: { key: (a) => a.handle ?? a.did, descending: false },
};

export class ActorLists {
  private readonly orders = new Map<ActorListOrder, SortedOrder>();
  private readonly searchable: string[][];

  constructor(private readonly actors: readonly ActorRecord[]) {
    // What the Cypher's CONTAINS tests: the lower-cased handle and display name.
    this.searchable = actors.map((a) => [(a.handle ?? '').toLowerCase(), (a.displayName ?? '').toLowerCase()]);
  }

  page(args: ActorListFilter & { order: ActorListOrder; first: number; after: Keyset | null }, isMember: (ordinal: number) => boolean): SkeletonPage {
    const order = this.sorted(args.order);
    const items: Keyset[] = [];
    for (let p = this.firstAfter(order, args.after); p < order.ordinals.length; p++) {
      const i = order.ordinals[p]!;
      if (!this.matches(i, args, isMember)) continue;
      if (items.length === args.first) return { items, hasNextPage: true };
      items.push({ key: order.key(this.actors[i]!), did: this.actors[i]!.did });
    }
    return { items, hasNextPage: false };
  }

  count(filter: ActorListFilter, isMember: (ordinal: number) => boolean): number {
    let n = 0;
    for (let i = 0; i < this.actors.length; i++) if (this.matches(i, filter, isMember)) n++;
    return n;
  }

  private matches(i: number, filter: ActorListFilter, isMember: (ordinal: number) => boolean): boolean {
    if (filter.hashtag !== null && !isMember(i)) return false;
    if (filter.search === null) return true;
    const [handle, name] = this.searchable[i]!;
    return handle!.includes(filter.search) || name!.includes(filter.search);
  }

  private sorted(order: ActorListOrder): SortedOrder {
    let sorted = this.orders.get(order);
    if (sorted) return sorted;
    const { key, descending } = KEYS[order];
    const sign = descending ? -1 : 1;
    const compare = (kx: number | string, dx: string, ky: number | string, dy: string) =>
      (kx < ky ? -sign : kx > ky ? sign : 0) || (dx < dy ? -1 : dx > dy ? 1 : 0);
    const keys = this.actors.map(key);
    const ordinals = Int32Array.from({ length: this.actors.length }, (_, i) => i).sort((x, y) => compare(keys[x]!, this.actors[x]!.did, keys[y]!, this.actors[y]!.did));
    sorted = { ordinals, key, compare };
    this.orders.set(order, sorted);
    return sorted;
  }

  /** Position of the first actor strictly after the cursor in list order. */
  private firstAfter(order: SortedOrder, after: Keyset | null): number {
    if (after === null) return 0;
    let lo = 0;
    let hi = order.ordinals.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const a = this.actors[order.ordinals[mid]!]!;
      if (order.compare(order.key(a), a.did, after.key, after.did) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
