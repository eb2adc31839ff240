/**
 * The PDS's rate limiter, reduced to what a client can observe: a fixed window that opens at
 * the first request, `RateLimit-*` headers on every response, 429 past the limit. As in
 * `@atproto/xrpc-server`, `ratelimit-reset` is the window end in unix seconds rounded down, so
 * a client that sleeps exactly until it can still be up to a second early.
 */
export interface RateLimit {
  requests: number;
  seconds: number;
}

export interface RateLimitStatus {
  allowed: boolean;
  headers: Record<string, string>;
}

export class FixedWindowLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(readonly policy: RateLimit) {
    if (!(policy.requests > 0) || !(policy.seconds > 0)) throw new RangeError('rate limit needs requests > 0 and seconds > 0');
  }

  consume(nowMs: number = Date.now()): RateLimitStatus {
    const windowMs = this.policy.seconds * 1000;
    if (this.used === 0 || nowMs >= this.windowStart + windowMs) {
      this.windowStart = nowMs;
      this.used = 0;
    }
    this.used++;
    const allowed = this.used <= this.policy.requests;
    const resetMs = this.windowStart + windowMs;
    return {
      allowed,
      headers: {
        'ratelimit-limit': String(this.policy.requests),
        'ratelimit-remaining': String(Math.max(0, this.policy.requests - this.used)),
        'ratelimit-reset': String(Math.floor(resetMs / 1000)),
        'ratelimit-policy': `${this.policy.requests};w=${this.policy.seconds}`,
      },
    };
  }

  reset(): void {
    this.used = 0;
  }
}
