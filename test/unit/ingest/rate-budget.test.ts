import { describe, expect, it } from '@jest/globals';
import { parsePolicy, RateBudget } from '../../../src/ingest/rate-budget.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** Sends as fast as the budget allows for `ms` of simulated time; returns the send times. */
function drive(budget: RateBudget, c: ReturnType<typeof clock>, ms: number): number[] {
  const sent: number[] = [];
  const end = c.now() + ms;
  while (c.now() < end) {
    const wait = budget.delayMs(0);
    if (wait === 0) sent.push(c.now());
    else c.advance(Math.min(wait, end - c.now()));
  }
  return sent;
}

describe('RateBudget', () => {
  it('spreads requests evenly at the configured rate', () => {
    const c = clock();
    const budget = new RateBudget({ requests: 10, seconds: 1 }, c.now);
    const sent = drive(budget, c, 10_000);
    expect(sent.length).toBeGreaterThanOrEqual(99);
    expect(sent.length).toBeLessThanOrEqual(102);
    // no one-second window holds more than the rate plus the two banked slots
    for (let i = 0; i < sent.length; i++) {
      const inWindow = sent.filter((t) => t >= sent[i]! && t < sent[i]! + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(12);
    }
  });

  it('waits for the window when the server says nothing is left', () => {
    const c = clock();
    const budget = new RateBudget({ requests: 100, seconds: 1 }, c.now);
    const resetSec = Math.floor(c.now() / 1000) + 5;
    budget.observe({ limit: 100, remaining: 2, reset: resetSec });
    expect(budget.delayMs(2)).toBeGreaterThan(4000);
    expect(budget.delayMs(0)).toBe(0);
  });

  it('adopts a stricter server policy', () => {
    const budget = new RateBudget({ requests: 3000, seconds: 300 });
    budget.observe({ policy: '100;w=60' });
    expect(budget.limit).toEqual({ requests: 100, seconds: 60 });
    budget.observe({ policy: '9000;w=60' });
    expect(budget.limit).toEqual({ requests: 100, seconds: 60 });
  });

  it('after a 429 waits until the reset, or backs off when none is given', () => {
    const c = clock();
    const budget = new RateBudget({ requests: 10, seconds: 1 }, c.now);
    expect(budget.exhausted({ reset: Math.floor(c.now() / 1000) + 3 }, 500)).toBeGreaterThan(2000);
    const other = new RateBudget({ requests: 10, seconds: 1 }, c.now);
    expect(other.exhausted({}, 500)).toBe(550);
  });

  it('parses policies', () => {
    expect(parsePolicy('3000;w=300')).toEqual({ requests: 3000, seconds: 300 });
    expect(parsePolicy('garbage')).toBeUndefined();
    expect(parsePolicy(undefined)).toBeUndefined();
  });
});
