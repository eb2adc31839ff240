/**
 * Turns scores into ranks. Deterministic whatever the engine or the order rows arrived in: score
 * descending (compared at RANK_SIGNIFICANT_DIGITS, so 0.30000000000000004 ties with 0.3), then handle,
 * then DID, both by code point (locale-independent). Actors without a handle sort after those with one.
 */
import { RANK_SIGNIFICANT_DIGITS } from './parameters.js';
import type { RankedDid, ScoredActor } from './types.js';

export function rankKey(score: number): number {
  return Number.isFinite(score) ? Number(score.toPrecision(RANK_SIGNIFICANT_DIGITS)) : Number.NEGATIVE_INFINITY;
}

function compareText(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export function rankScores(scored: readonly ScoredActor[]): RankedDid[] {
  const keyed = scored.map((s) => ({ s, key: rankKey(s.score) }));
  keyed.sort((x, y) => y.key - x.key || compareText(x.s.handle, y.s.handle) || compareText(x.s.did, y.s.did));
  return keyed.map(({ s }, i) => ({ did: s.did, score: s.score, rank: i + 1 }));
}
