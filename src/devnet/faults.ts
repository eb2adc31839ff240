/**
 * Injected trouble, decided per request from a seeded stream: the same seed and the same
 * request order give the same faults. Every request draws the same number of values whatever
 * is switched on, so enabling one fault does not reshuffle the others.
 */
import { mulberry32, type Rng } from './prng.js';

export interface Faults {
  /** Share of requests answered 500/502/503 (after the rate limiter counted them). */
  errorRate?: number;
  /** Extra latency per request, uniform in [min, max] ms. */
  latencyMs?: [number, number];
  /** Share of requests whose socket is destroyed without any response. */
  resetRate?: number;
  /** Share of responses held back `stallMs` (default 2,000) before being sent. */
  stallRate?: number;
  stallMs?: number;
  /** Seed of the fault stream. Default 1. */
  seed?: number;
}

export type FaultDecision =
  | { kind: 'none'; latencyMs: number }
  | { kind: 'reset'; latencyMs: number }
  | { kind: 'error'; latencyMs: number; status: 500 | 502 | 503 }
  | { kind: 'stall'; latencyMs: number; stallMs: number };

export class FaultPlan {
  private rng: Rng;

  constructor(private faults: Faults = {}) {
    this.rng = mulberry32(faults.seed ?? 1);
  }

  /** Replaces the fault settings and restarts the stream from their seed. */
  set(faults: Faults): void {
    this.faults = faults;
    this.rng = mulberry32(faults.seed ?? 1);
  }

  get current(): Faults {
    return this.faults;
  }

  next(): FaultDecision {
    const [uLatency, uReset, uError, uKind, uStall] = [this.rng(), this.rng(), this.rng(), this.rng(), this.rng()];
    const f = this.faults;
    const [min, max] = f.latencyMs ?? [0, 0];
    const latencyMs = max > 0 ? min + uLatency * (max - min) : 0;
    if (uReset < (f.resetRate ?? 0)) return { kind: 'reset', latencyMs };
    if (uError < (f.errorRate ?? 0)) {
      const status = uKind < 0.5 ? 500 : uKind < 0.75 ? 502 : 503;
      return { kind: 'error', latencyMs, status };
    }
    if (uStall < (f.stallRate ?? 0)) return { kind: 'stall', latencyMs, stallMs: f.stallMs ?? 2000 };
    return { kind: 'none', latencyMs };
  }
}
