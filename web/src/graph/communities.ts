/**
 * Community colouring. The server's Louvain ids (the `community` property the analytics write) win
 * when present, so the view agrees with `communities(hashtag)`; a graph without them is partitioned
 * here with graphology's Louvain, seeded for stable colours.
 */
import louvain from 'graphology-communities-louvain';
import type { CommunityAlgorithm, ServerCommunity } from '../api/types.js';
import { shortLabel, type ViewModel, type ViewGraph } from './model.js';
import { seededRandom, seedOf } from './random.js';

/** Distinct on white, colour-blind-friendlier ordering first (Tableau 10 extended). */
export const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#76b7b2',
  '#edc948', '#ff9da7', '#9c755f', '#2f4b7c', '#d45087', '#6a9f2e',
] as const;
export const OTHER_COLOUR = '#b8bec6';

export interface LegendCommunity {
  readonly id: number;
  readonly size: number;
  readonly colour: string;
  /** Names (display name, else handle) of its largest nodes by the size metric, to name the group. */
  readonly top: string[];
  /** Their handles, same order. */
  readonly topHandles: string[];
  /** The server's name for it (its top keywords), when the server has one. */
  readonly label: string | null;
  readonly keywords: readonly string[];
}

export interface CommunityAssignment {
  readonly origin: 'server' | 'browser';
  /** Which partition colours the graph: the stored Louvain ids, or one the server computed on request. */
  readonly algorithm: CommunityAlgorithm;
  /** Coloured communities, largest first; the rest share OTHER_COLOUR. */
  readonly coloured: LegendCommunity[];
  readonly otherCount: number;
  readonly otherNodes: number;
  readonly total: number;
}

export function assignCommunities(model: ViewModel, seedText: string): CommunityAssignment {
  const { graph } = model;
  let fromServer = false;
  graph.forEachNode((_, a) => {
    if (a.actor.community !== null) fromServer = true;
  });
  if (fromServer) {
    graph.updateEachNodeAttributes((_, a) => ({ ...a, community: a.actor.community ?? -1 }), { attributes: ['community'] });
  } else if (graph.order > 0) {
    // On every follow, not only the drawn ones.
    const parts = louvain(model.follows, { rng: seededRandom(seedOf(seedText)), getEdgeWeight: null });
    graph.updateEachNodeAttributes((node, a) => ({ ...a, community: parts[node] ?? -1 }), { attributes: ['community'] });
  }
  return colourCommunities(graph, fromServer ? 'server' : 'browser', 'LOUVAIN');
}

/**
 * The server's partition and names. For the stored algorithm the ids are the ones already drawn
 * (stable ids), so only names are added; for another one the nodes are recoloured by its members.
 */
export function applyServerCommunities(model: ViewModel, current: CommunityAssignment, algorithm: CommunityAlgorithm, communities: readonly ServerCommunity[]): CommunityAssignment {
  const byId = new Map(communities.map((c) => [c.id, c]));
  let assignment = current;
  if (algorithm !== current.algorithm || current.origin === 'browser') {
    const of = new Map<string, number>();
    for (const c of communities) for (const did of c.memberDids) of.set(did, c.id);
    model.graph.updateEachNodeAttributes((node, a) => ({ ...a, community: of.get(node) ?? -1 }), { attributes: ['community'] });
    assignment = colourCommunities(model.graph, 'server', algorithm);
  }
  return {
    ...assignment,
    coloured: assignment.coloured.map((c) => ({ ...c, label: byId.get(c.id)?.label ?? null, keywords: byId.get(c.id)?.keywords ?? [] })),
  };
}

function colourCommunities(graph: ViewGraph, origin: 'server' | 'browser', algorithm: CommunityAlgorithm): CommunityAssignment {
  const members = new Map<number, string[]>();
  graph.forEachNode((node, a) => {
    if (a.community < 0) return;
    const list = members.get(a.community) ?? [];
    list.push(node);
    members.set(a.community, list);
  });
  // Size first, then id: equal sizes keep the same colour between loads.
  const ranked = [...members.entries()].sort((x, y) => y[1].length - x[1].length || x[0] - y[0]);
  // A community of one or two is noise, not a group worth a colour.
  const colourable = ranked.filter(([, nodes]) => nodes.length >= 3).slice(0, PALETTE.length);
  const colourOf = new Map<number, string>(colourable.map(([id], i) => [id, PALETTE[i] as string]));
  graph.updateEachNodeAttributes((_, a) => ({ ...a, color: colourOf.get(a.community) ?? OTHER_COLOUR }), { attributes: ['color'] });
  const coloured = colourable.map(([id, nodes]) => ({
    id,
    size: nodes.length,
    colour: colourOf.get(id) as string,
    top: [],
    topHandles: [],
    label: null,
    keywords: [],
  }));
  const colouredNodes = coloured.reduce((n, c) => n + c.size, 0);
  return { origin, algorithm, coloured, otherCount: ranked.length - coloured.length, otherNodes: graph.order - colouredNodes, total: ranked.length };
}

/** Names each legend entry by its biggest nodes, once sizes are known. */
export function nameCommunities(graph: ViewGraph, assignment: CommunityAssignment, perCommunity = 2): CommunityAssignment {
  const best = new Map<number, Array<{ name: string; handle: string; size: number }>>();
  graph.forEachNode((_, a) => {
    const list = best.get(a.community) ?? [];
    list.push({ name: shortLabel(a.actor, 18), handle: a.actor.handle ?? a.actor.did, size: a.size });
    best.set(a.community, list);
  });
  return {
    ...assignment,
    coloured: assignment.coloured.map((c) => {
      const top = (best.get(c.id) ?? []).sort((x, y) => y.size - x.size || (x.handle < y.handle ? -1 : 1)).slice(0, perCommunity);
      return { ...c, top: top.map((x) => x.name), topHandles: top.map((x) => x.handle) };
    }),
  };
}
