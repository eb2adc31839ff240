/**
 * graphology and its metrics packages ship CommonJS with `export default` typings. Under NodeNext
 * TypeScript types a default import as the whole `module.exports` object (`{ default: fn }`), while
 * Node (and jest's ESM loader) hand us the function itself. Unwrapping in one place keeps the rest of
 * the code free of casts.
 */
import * as graphologyModule from 'graphology';
import * as pagerankModule from 'graphology-metrics/centrality/pagerank.js';
import * as betweennessModule from 'graphology-metrics/centrality/betweenness.js';
import * as closenessModule from 'graphology-metrics/centrality/closeness.js';
import * as louvainModule from 'graphology-communities-louvain';

type Unwrapped<M> = M extends { default: infer D } ? (D extends { default: infer E } ? E : D) : M;

function unwrap<M>(ns: M): Unwrapped<M> {
  const first = (ns as { default?: unknown }).default ?? ns;
  const second = (first as { default?: unknown }).default;
  return (second ?? first) as Unwrapped<M>;
}

export const Graph = unwrap(graphologyModule);
export type Graph = InstanceType<typeof Graph>;
export const pagerank = unwrap(pagerankModule);
export const betweenness = unwrap(betweennessModule);
export const closeness = unwrap(closenessModule);
export const louvain = unwrap(louvainModule);
