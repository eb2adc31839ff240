/**
 * Cost model for graphql-query-complexity: every field costs 1, and a field returning a list costs
 * its children once per item it may return (`first`, `limit`), so `actors(first: 1000) { follows
 * (first: 1000) … }` is priced at a million and refused before any Cypher runs.
 */
import type { ComplexityEstimator } from 'graphql-query-complexity';

export const MAX_COMPLEXITY = 100_000;

export function perItem(argName: string, fallback: number): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    const n = args[argName];
    const items = typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : fallback;
    return 1 + childComplexity * items;
  };
}

/** Lists without a size argument: a fixed guess of how many items they hold. */
export function fixedItems(items: number): ComplexityEstimator {
  return ({ childComplexity }) => 1 + childComplexity * items;
}
