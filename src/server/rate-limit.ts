/**
 * Per-client token buckets: `burst` requests at once, refilled at `perMinute`. Pure (the clock is
 * injected) and bounded: at most `maxClients` buckets are kept; a full bucket carries no state
 * worth keeping, so idle clients are the first evicted, then the least recently seen.
 */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
  /** Buckets kept at most. Default 10,000. */
  readonly maxClients?: number;
  readonly now?: () => number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: seconds until one token is back. */
  readonly retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxClients: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimitOptions) {
    this.perMs = options.perMinute / 60_000;
    this.maxClients = options.maxClients ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.options.perMinute > 0;
  }

  /** Buckets currently held (for tests). */
  get size(): number {
    return this.buckets.size;
  }

  take(client: string): RateDecision {
    if (!this.enabled) return { allowed: true, retryAfterSeconds: 0 };
    const now = this.now();
    const bucket = this.refill(this.buckets.get(client), now);
    // Re-inserted on every touch, so the Map's order is least recently seen first.
    this.buckets.delete(client);
    this.buckets.set(client, bucket);
    if (this.buckets.size > this.maxClients) this.evict(now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000)) };
  }

  private refill(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    return bucket;
  }

  private evict(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxClients * 0.9) return;
      if (this.refill(bucket, now).tokens >= this.options.burst) this.buckets.delete(key);
    }
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= this.maxClients * 0.9) return;
      this.buckets.delete(key);
    }
  }
}
