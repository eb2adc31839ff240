/**
 * Results keyed by question and graph version, in a bounded LRU. Entries of older versions are
 * dropped as soon as a newer version is seen (an ingest finished), concurrent askers of the same
 * question share one computation (the pending promise is the entry), and at most `capacity` answers
 * are held: a ranking of a large scope is megabytes, and the keys come from clients.
 */
export const DEFAULT_CACHE_CAPACITY = 64;

export class VersionedCache<T> {
  private version: number | null = null;
  /** Map iteration order is insertion order: re-inserting on a hit makes the first key the least recent. */
  private readonly entries = new Map<string, Entry<T>>();
  /** Computations started (not cache hits): lets tests prove a hit without timing anything. */
  computations = 0;

  constructor(readonly capacity = DEFAULT_CACHE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`cache capacity must be a positive integer, got ${capacity}`);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    // A caller that read the version just before an ingest finished: answer it, but do not cache.
    if (this.version !== null && version < this.version) {
      this.computations++;
      return compute();
    }
    if (this.version !== version) {
      this.entries.clear();
      this.version = version;
    }
    const cached = this.entries.get(key);
    if (cached) {
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.promise;
    }
    this.computations++;
    const entry: Entry<T> = { promise: compute(), done: false };
    this.insert(key, entry);
    entry.promise.then(
      (value) => {
        entry.done = true;
        entry.value = value;
      },
      // A failure is not an answer: forget it so the next call tries again.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.promise;
  }

  /** The answer for this key and version if it is already computed (not pending), without computing. */
  settled(key: string, version: number): T | undefined {
    const entry = this.version === version ? this.entries.get(key) : undefined;
    return entry?.done ? entry.value : undefined;
  }

  /** Stores an answer computed elsewhere (e.g. the PageRank a Louvain run needed anyway). */
  offer(key: string, version: number, value: T): void {
    if (this.version !== version || this.entries.has(key)) return;
    this.insert(key, { promise: Promise.resolve(value), done: true, value });
  }

  private insert(key: string, entry: Entry<T>): void {
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  clear(): void {
    this.entries.clear();
    this.version = null;
  }
}

interface Entry<T> {
  readonly promise: Promise<T>;
  done: boolean;
  value?: T;
}
