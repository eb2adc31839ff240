/**
 * Cost model for graphql-query-complexity: every field costs 1, and a field returning a list costs
 * its children once per item it may return (`first`, `limit`), so `actors(first: 1000) { follows
 * (first: 1000) … }` is priced at a million and refused before any Cypher runs.
 */
import { Kind, type FieldNode, type SelectionSetNode } from 'graphql';
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

/**
 * The database work behind a field, on top of what its items cost to present. The per-item price
 * above counts what a response carries; these count what Neo4j must touch to produce it: the
 * FOLLOWS edges of a community graph (its limit counts actors, not edges), the frontier of a deep
 * neighbourhood, a label scan for a substring search and its count, a shortest-path search, a
 * centrality or Louvain computation. One unit is about fifty rows touched.
 */
export const WORK = Object.freeze({
  /** Expected FOLLOWS edges per actor returned by communityGraph. */
  communityGraphEdgesPerActor: { COMMUNITY: 10, ALL: 20 } as Record<string, number>,
  /** Rows a neighbourhood walk touches per actor it returns, by depth. */
  neighbourhoodRowsPerActor: { 1: 5, 2: 20, 3: 100 } as Record<number, number>,
  rowsPerUnit: 50,
  /** `actors(search:)` scans every actor (CONTAINS has no index); its totalCount scans again. */
  searchScan: 5_000,
  hashtags: 500,
  relationship: 1_000,
  /** One centrality ranking or Louvain run over a community. */
  analytics: 5_000,
});

type Work = (args: Record<string, unknown>, node: FieldNode) => number;

const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : fallback);

const FIELD_WORK: Record<string, Work> = {
  'Query.communityGraph': (args) =>
    Math.ceil((num(args.limit, 20_000) * (WORK.communityGraphEdgesPerActor[String(args.scope ?? 'COMMUNITY')] ?? 20)) / WORK.rowsPerUnit),
  'Query.neighbourhood': (args) => Math.ceil((num(args.limit, 500) * (WORK.neighbourhoodRowsPerActor[num(args.depth, 1)] ?? 100)) / WORK.rowsPerUnit),
  'Query.actors': (args, node) => (typeof args.search === 'string' && args.search !== '' ? WORK.searchScan * (selectsField(node, 'totalCount') ? 2 : 1) : 0),
  'Query.hashtags': () => WORK.hashtags,
  'Query.relationship': () => WORK.relationship,
  'Query.centrality': () => WORK.analytics,
  'Query.communities': () => WORK.analytics,
};

/** Whether a selection asks for `name`; a fragment spread counts as yes (it may). */
function selectsField(node: FieldNode, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => (s.kind === Kind.FIELD ? s.name.value === name : s.kind === Kind.INLINE_FRAGMENT ? visit(s.selectionSet) : true));
  return visit(node.selectionSet);
}

/**
 * An estimator to run first: for the fields in FIELD_WORK, the field's own price (its complexity
 * extension, else 1 + children) plus its database work; other fields are left to the next estimator.
 */
export function databaseWorkEstimator(): ComplexityEstimator {
  return (options) => {
    const work = FIELD_WORK[`${options.type.name}.${options.field.name}`];
    if (!work) return undefined;
    const own = options.field.extensions?.complexity;
    const base = typeof own === 'function' ? (own as ComplexityEstimator)(options) : typeof own === 'number' ? options.childComplexity + own : undefined;
    return (typeof base === 'number' ? base : 1 + options.childComplexity) + work(options.args, options.node);
  };
}
