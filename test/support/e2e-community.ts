/**
 * The graph view's fixture: devnet communities stored as the ingest stores them, and what the
 * page must show, computed from the devnet's ground truth (not from Neo4j or the API).
 */
import { generateCommunity, groundTruth, type CommunityOptions } from '../../devnet/index.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { fixtureFromCommunity, loadGraph, type GraphFixture } from './load-graph.js';

export interface ExpectedCommunity {
  readonly hashtag: string;
  readonly members: string[];
  readonly handleOf: Map<string, string>;
  /** FOLLOWS among members (the COMMUNITY scope). */
  readonly edges: number;
  /** Members and everyone they follow (the ALL scope). */
  readonly allActors: number;
  readonly allEdges: number;
  readonly outOf: Map<string, Set<string>>;
}

/** Builds the community, loads it, and returns what a correct page shows for it. */
export async function seedCommunity(db: GraphDatabase, options: CommunityOptions): Promise<ExpectedCommunity> {
  const community = generateCommunity(options);
  const truth = groundTruth(community);
  const base = fixtureFromCommunity(community);
  // Membership as the ground truth decides it (posts that really carry the tag).
  const fixture: GraphFixture = { ...base, memberships: truth.members.map((did) => ({ did, hashtag: truth.hashtag, posts: 1 })) };
  await loadGraph(db, fixture);

  const isMember = new Set(truth.members);
  const outOf = new Map<string, Set<string>>();
  let edges = 0;
  let allEdges = 0;
  truth.edges.forEach((src, dst) => {
    if (!isMember.has(src) || src === dst) return;
    allEdges++;
    if (isMember.has(dst)) edges++;
    let out = outOf.get(src);
    if (!out) outOf.set(src, (out = new Set()));
    out.add(dst);
  });
  return {
    hashtag: truth.hashtag,
    members: truth.members,
    handleOf: new Map([...truth.actors.values()].map((a) => [a.did, a.handle])),
    edges,
    allActors: truth.actors.size,
    allEdges,
    outOf,
  };
}

/** Members who follow `did` and whom `did` follows back. */
export function mutualMembers(expected: ExpectedCommunity, did: string): string[] {
  const members = new Set(expected.members);
  return [...(expected.outOf.get(did) ?? [])].filter((t) => members.has(t) && expected.outOf.get(t)?.has(did)).sort();
}
