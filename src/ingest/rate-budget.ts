/**
 * The request budget: the configured rate, corrected live by what the server announces in its
 * `ratelimit-*` headers. Pure bookkeeping (no I/O): the XRPC client asks `delayMs()` before each
 * request and reports every response's headers through `observe()`.
 */
import type { RateLimit } from '../config/config.js';

export interface RateLimitHeaders {
  readonly limit?: number;
  readonly remaining?: number;
  /** Unix seconds at which the server's window resets. */
  readonly reset?: number;
  /** `3000;w=300` */
  readonly policy?: string;
}

export function readRateLimitHeaders(headers: { get(name: string): string | null }): RateLimitHeaders {
  const num = (name: string) => {
    const v = headers.get(name);
    if (v === null || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    limit: num('ratelimit-limit'),
    remaining: num('ratelimit-remaining'),
    reset: num('ratelimit-reset'),
    policy: headers.get('ratelimit-policy') ?? undefined,
  };
}

export function parsePolicy(policy: string | undefined): RateLimit | undefined {
  const m = policy ? /^\s*(\d+)\s*;\s*w\s*=\s*(\d+)/.exec(policy) : null;
  if (!m) return undefined;
  const requests = Number(m[1]);
  const seconds = Number(m[2]);
  return requests > 0 && seconds > 0 ? { requests, seconds } : undefined;
}

export class RateBudget {
  private rate: RateLimit;
  private remaining: number | undefined;
  private resetAtMs: number | undefined;
  private nextSlotMs = 0;

  constructor(
    configured: RateLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.rate = configured;
  }

  /** The rate in force: the configured one, or the server's when it announces a stricter one. */
  get limit(): RateLimit {
    return this.rate;
  }

  /** Requests per second, for p-queue's sliding window and the wall-time floor. */
  get perSecond(): number {
    return this.rate.requests / this.rate.seconds;
  }

  /**
   * How long to wait before sending one more request, given how many are already in flight.
   * Spends a slot when the answer is 0, so concurrent callers are spread evenly.
   */
  delayMs(inFlight: number): number {
    const now = this.now();
    if (this.remaining !== undefined && this.resetAtMs !== undefined && now < this.resetAtMs) {
      // Requests already in flight will use up what the server says is left: wait for the window.
      if (this.remaining - inFlight <= 0) return this.resetAtMs - now + 50;
    }
    if (this.nextSlotMs > now) return this.nextSlotMs - now;
    // Keep the cadence (timers fire a little late), but after idling bank at most 50 ms (or two
    // slots) of catch-up, so a burst never outruns the server's window.
    const spacing = 1000 / this.perSecond;
    this.nextSlotMs = Math.max(this.nextSlotMs, now - Math.max(2 * spacing, 50)) + spacing;
    return 0;
  }

  observe(headers: RateLimitHeaders): void {
    const announced = parsePolicy(headers.policy);
    if (announced && announced.requests / announced.seconds < this.perSecond) this.rate = announced;
    if (headers.remaining !== undefined) this.remaining = headers.remaining;
    if (headers.reset !== undefined) this.resetAtMs = toResetMs(headers.reset, this.now());
  }

  /** A 429: nothing more until the server's window resets. */
  exhausted(headers: RateLimitHeaders, fallbackMs: number): number {
    this.observe(headers);
    this.remaining = 0;
    const now = this.now();
    if (this.resetAtMs === undefined || this.resetAtMs <= now) this.resetAtMs = now + fallbackMs;
    return this.resetAtMs - now + 50;
  }
}

/** `ratelimit-reset` is unix seconds on Bluesky; tolerate a delta in seconds too (RFC draft style). */
function toResetMs(reset: number, now: number): number {
  return reset > 1e9 ? reset * 1000 : now + reset * 1000;
}
