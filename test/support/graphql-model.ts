/**
 * The API's answers computed independently, in memory, from the fixture the test loaded: plain
 * sets, sorts and breadth-first searches, no Cypher. Tests compare the server against this.
 */
import type { FixtureActor, GraphFixture } from './load-graph.js';

export type Direction = 'OUT' | 'IN' | 'BOTH';
export type Order = 'FOLLOWERS' | 'PAGERANK' | 'HANDLE';

export class GraphModel {
  readonly actors = new Map<string, FixtureActor>();
  private readonly out = new Map<string, Set<string>>();
  private readonly in = new Map<string, Set<string>>();
  private readonly membersOf = new Map<string, Set<string>>();

  constructor(readonly fixture: GraphFixture) {
    for (const a of fixture.actors) {
      this.actors.set(a.did, a);
      this.out.set(a.did, new Set());
      this.in.set(a.did, new Set());
    }
    for (const [s, t] of fixture.follows) {
      this.out.get(s)!.add(t);
      this.in.get(t)!.add(s);
    }
    for (const m of fixture.memberships) {
      if (!this.membersOf.has(m.hashtag)) this.membersOf.set(m.hashtag, new Set());
      this.membersOf.get(m.hashtag)!.add(m.did);
    }
  }

  members(hashtag: string): Set<string> {
    return this.membersOf.get(hashtag) ?? new Set();
  }

  hashtags(): string[] {
    return [...this.membersOf.keys()];
  }

  hashtagsOf(did: string): string[] {
    return this.hashtags().filter((h) => this.members(h).has(did)).sort();
  }

  follows(did: string, hashtag?: string): string[] {
    return this.byHandle([...this.out.get(did)!].filter((x) => this.inTag(x, hashtag)));
  }

  followers(did: string, hashtag?: string): string[] {
    return this.byHandle([...this.in.get(did)!].filter((x) => this.inTag(x, hashtag)));
  }

  mutuals(did: string, hashtag?: string): string[] {
    const ins = this.in.get(did)!;
    return this.byHandle([...this.out.get(did)!].filter((x) => ins.has(x) && this.inTag(x, hashtag)));
  }

  commonFollows(a: string, b: string): string[] {
    const ofB = this.out.get(b)!;
    return this.byHandle([...this.out.get(a)!].filter((x) => ofB.has(x)));
  }

  follow(a: string, b: string): boolean {
    return this.out.get(a)!.has(b);
  }

  /** Fewest hops from a to b; null if unreachable. */
  distance(a: string, b: string, directed: boolean): number | null {
    const dist = new Map([[a, 0]]);
    let frontier = [a];
    while (frontier.length) {
      const next: string[] = [];
      for (const x of frontier) {
        for (const y of this.step(x, directed ? 'OUT' : 'BOTH')) {
          if (dist.has(y)) continue;
          dist.set(y, dist.get(x)! + 1);
          if (y === b) return dist.get(y)!;
          next.push(y);
        }
      }
      frontier = next;
    }
    return dist.get(b) ?? null;
  }

  /**
   * Breadth-first levels; with a hashtag only members are stepped onto. Past `limit`, nearer levels
   * are kept whole and the cut level keeps its lowest DIDs.
   */
  neighbourhood(center: string, depth: number, direction: Direction, hashtag: string | undefined, limit: number) {
    const levels: string[][] = [[center]];
    const seen = new Set([center]);
    for (let d = 1; d <= depth; d++) {
      const level = new Set<string>();
      for (const x of levels[d - 1]!) {
        for (const y of this.step(x, direction)) if (!seen.has(y) && this.inTag(y, hashtag)) level.add(y);
      }
      if (level.size === 0) break;
      for (const y of level) seen.add(y);
      levels.push([...level].sort(cmp));
    }
    const reachable = levels.flat();
    const kept = reachable.slice(0, limit);
    const set = new Set(kept);
    const edges = this.fixture.follows.filter(([s, t]) => set.has(s) && set.has(t)).map(([s, t]) => `${s} ${t}`);
    return { dids: kept, levels, truncated: reachable.length > limit, edges: edges.sort() };
  }

  /** All actors (or members), filtered by search, in the order the API pages them. */
  list(order: Order, hashtag?: string, search?: string): string[] {
    let dids = hashtag ? [...this.members(hashtag)] : [...this.actors.keys()];
    if (search) {
      const q = search.toLowerCase();
      dids = dids.filter((d) => {
        const a = this.actors.get(d)!;
        return a.handle.toLowerCase().includes(q) || (a.displayName ?? '').toLowerCase().includes(q);
      });
    }
    const key = (d: string): number | string => {
      const a = this.actors.get(d)!;
      if (order === 'PAGERANK' && hashtag) return this.fixture.memberships.find((m) => m.did === d && m.hashtag === hashtag)?.pagerank ?? -1;
      return order === 'FOLLOWERS' ? (a.followersCount ?? -1) : order === 'PAGERANK' ? (a.pagerank ?? -1) : a.handle;
    };
    return dids.sort((x, y) => {
      const kx = key(x);
      const ky = key(y);
      if (kx !== ky) return order === 'HANDLE' ? cmp(kx as string, ky as string) : (ky as number) - (kx as number);
      return cmp(x, y);
    });
  }

  private step(did: string, direction: Direction): Set<string> {
    if (direction === 'OUT') return this.out.get(did)!;
    if (direction === 'IN') return this.in.get(did)!;
    return new Set([...this.out.get(did)!, ...this.in.get(did)!]);
  }

  private inTag(did: string, hashtag: string | undefined): boolean {
    return hashtag === undefined || this.members(hashtag).has(did);
  }

  private byHandle(dids: string[]): string[] {
    return dids.sort((x, y) => cmp(this.actors.get(x)!.handle, this.actors.get(y)!.handle) || cmp(x, y));
  }
}

/** Code-unit order, as both JavaScript and Neo4j (Java) compare strings. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
