/**
 * Results keyed by question and graph version. Entries of older versions are dropped as soon as a newer
 * version is seen (an ingest finished), and concurrent askers of the same question share one computation.
 */
export class VersionedCache<T> {
  private version: number | null = null;
  private readonly entries = new Map<string, Promise<T>>();
  /** Computations started (not cache hits): lets tests prove a hit without timing anything. */
  computations = 0;

  get(key: string, version: number, compute: () => Promise<T>): Promise<T> {
    // A caller that read the version just before an ingest finished: answer it, but do not cache.
    if (this.version !== null && version < this.version) return compute();
    if (this.version !== version) {
      this.entries.clear();
      this.version = version;
    }
    const cached = this.entries.get(key);
    if (cached) return cached;
    this.computations++;
    const pending = compute();
    this.entries.set(key, pending);
    // A failure is not an answer: forget it so the next call tries again.
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    return pending;
  }

  clear(): void {
    this.entries.clear();
    this.version = null;
  }
}
