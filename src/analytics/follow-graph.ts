/**
 * The in-memory follow graph the graphology engine computes on: one node per actor (DID as key,
 * handle as attribute), one directed edge per FOLLOWS. Built incrementally, so the loader can feed it
 * straight from a Neo4j stream without first holding the edge list.
 */
import { Graph } from './graphology-modules.js';

export interface ActorAttributes {
  handle: string | null;
}

export type FollowGraph = Graph;

export class FollowGraphBuilder {
  private readonly graph: FollowGraph = new Graph({ type: 'directed', multi: false, allowSelfLoops: true });

  addActor(did: string, handle: string | null): void {
    this.graph.mergeNode(did, { handle });
  }

  /** An edge to an actor not seen as a node (written between the two reads) brings the node in. */
  addFollow(source: string, target: string): void {
    if (!this.graph.hasNode(source)) this.graph.addNode(source, { handle: null });
    if (!this.graph.hasNode(target)) this.graph.addNode(target, { handle: null });
    this.graph.mergeEdge(source, target);
  }

  build(): FollowGraph {
    return this.graph;
  }
}

/** Convenience for tests and small inputs. */
export function buildFollowGraph(
  actors: Iterable<{ did: string; handle?: string | null }>,
  follows: Iterable<readonly [string, string]>,
): FollowGraph {
  const builder = new FollowGraphBuilder();
  for (const a of actors) builder.addActor(a.did, a.handle ?? null);
  for (const [s, t] of follows) builder.addFollow(s, t);
  return builder.build();
}

export function handleOf(graph: FollowGraph, did: string): string | null {
  return (graph.getNodeAttributes(did) as Partial<ActorAttributes>).handle ?? null;
}
