import { describe, expect, it } from '@jest/globals';
import { FaultPlan } from '../../../devnet/faults.js';
import { FixedWindowLimiter } from '../../../devnet/rate-limit.js';
import { SessionTokens, ACCESS_SCOPE, REFRESH_SCOPE } from '../../../devnet/session-tokens.js';

describe('FixedWindowLimiter', () => {
  it('counts down, refuses past the limit, and reopens after the window', () => {
    const l = new FixedWindowLimiter({ requests: 2, seconds: 10 });
    const a = l.consume(1_000_500);
    expect(a.allowed).toBe(true);
    expect(a.headers).toEqual({
      'ratelimit-limit': '2',
      'ratelimit-remaining': '1',
      'ratelimit-reset': '1010',
      'ratelimit-policy': '2;w=10',
    });
    expect(l.consume(1_001_000).allowed).toBe(true);
    const refused = l.consume(1_002_000);
    expect(refused.allowed).toBe(false);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(l.consume(1_010_500).allowed).toBe(true);
  });
});

describe('FaultPlan', () => {
  it('is deterministic per seed and independent of which faults are on', () => {
    const kinds = (p: FaultPlan): string[] => Array.from({ length: 200 }, () => p.next().kind);
    const a = kinds(new FaultPlan({ errorRate: 0.2, resetRate: 0.05, seed: 3 }));
    expect(kinds(new FaultPlan({ errorRate: 0.2, resetRate: 0.05, seed: 3 }))).toEqual(a);
    expect(a.filter((k) => k === 'error').length).toBeGreaterThan(10);
    const resetsOnly = kinds(new FaultPlan({ resetRate: 0.05, seed: 3 }));
    resetsOnly.forEach((k, i) => k === 'reset' && expect(a[i]).toBe('reset'));
    const latency = new FaultPlan({ latencyMs: [5, 10] }).next().latencyMs;
    expect(latency).toBeGreaterThanOrEqual(5);
    expect(latency).toBeLessThanOrEqual(10);
  });
});

describe('SessionTokens', () => {
  it('tells valid, expired and foreign tokens apart', () => {
    const tokens = new SessionTokens('did:web:devnet.test', 60, 3600);
    const { accessJwt, refreshJwt } = tokens.mint('did:plc:abc', 1_000_000);
    expect(tokens.verify(accessJwt, ACCESS_SCOPE, 1_000_000)).toMatchObject({ ok: true, payload: { sub: 'did:plc:abc' } });
    expect(tokens.verify(accessJwt, ACCESS_SCOPE, 1_061_000)).toEqual({ ok: false, reason: 'expired' });
    expect(tokens.verify(refreshJwt, ACCESS_SCOPE, 1_000_000)).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(refreshJwt, REFRESH_SCOPE, 1_000_000).ok).toBe(true);
    const other = new SessionTokens('did:web:devnet.test', 60, 3600).mint('did:plc:abc', 1_000_000).accessJwt;
    expect(tokens.verify(other, ACCESS_SCOPE, 1_000_000)).toEqual({ ok: false, reason: 'invalid' });
  });
});
