/**
 * Reads about how actors connect: neighbourhoods (induced subgraphs around an actor) and pairwise
 * relationships. Skeletons only (DIDs and edges); the API hydrates actors separately.
 */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';

export type Direction = 'OUT' | 'IN' | 'BOTH';

export interface NeighbourhoodSkeleton {
  /** The centre first, then by distance, then by DID. */
  readonly dids: string[];
  /** [source, target] DIDs, every FOLLOWS among `dids`, sorted. */
  readonly edges: Array<[string, string]>;
  readonly truncated: boolean;
}

const EXPAND_PATTERNS: Record<Direction, string> = {
  OUT: '(a)-[:FOLLOWS]->(b:Actor)',
  IN: '(a)<-[:FOLLOWS]-(b:Actor)',
  BOTH: '(a)-[:FOLLOWS]-(b:Actor)',
};

function expandCypher(direction: Direction): string {
  return `
UNWIND $frontier AS did
MATCH (a:Actor {did: did})
MATCH ${EXPAND_PATTERNS[direction]}
WHERE NOT b.did IN $seen
  AND ($hashtag IS NULL OR EXISTS { (b)-[:POSTED_WITH]->(:Hashtag {name: $hashtag}) })
RETURN DISTINCT b.did AS did
ORDER BY did
LIMIT toInteger($room)`;
}

const INDUCED_EDGES = `
UNWIND $dids AS did
MATCH (a:Actor {did: did})-[:FOLLOWS]->(b:Actor)
WHERE b.did IN $dids
RETURN a.did AS source, b.did AS target
ORDER BY source, target
LIMIT toInteger($maxEdges)`;

/** Beyond this many edges a neighbourhood is cut (and says so): a browser cannot draw more anyway. */
export const MAX_SUBGRAPH_EDGES = 200_000;

/**
 * Breadth-first, one query per hop, in one read transaction: a variable-length Cypher pattern would
 * enumerate every path (exponential in depth on a dense follow graph), while a BFS frontier visits
 * each actor once. With `hashtag`, the walk only steps onto members (the centre need not be one).
 * When more than `limit` actors are reachable, nearer ones are kept; at the hop where the cut
 * falls, the lowest DIDs.
 */
export async function neighbourhood(
  db: GraphDatabase,
  args: { center: string; depth: number; direction: Direction; hashtag: string | null; limit: number },
): Promise<NeighbourhoodSkeleton> {
  return db.readTx(async (tx) => {
    const dids = [args.center];
    const seen = new Set(dids);
    let frontier = dids.slice();
    let truncated = false;
    for (let hop = 1; hop <= args.depth && frontier.length > 0 && !truncated; hop++) {
      const room = args.limit - dids.length;
      if (room <= 0) {
        truncated = await hasMore(tx, args.direction, frontier, [...seen], args.hashtag);
        break;
      }
      const found = await expand(tx, args.direction, frontier, [...seen], args.hashtag, room + 1);
      if (found.length > room) {
        truncated = true;
        found.length = room;
      }
      for (const did of found) seen.add(did);
      dids.push(...found);
      frontier = found;
    }
    const edgeRows = await tx.run<{ source: string; target: string }>(INDUCED_EDGES, { dids, maxEdges: MAX_SUBGRAPH_EDGES + 1 });
    const edges = edgeRows.records.map((r) => [r.get('source'), r.get('target')] as [string, string]);
    if (edges.length > MAX_SUBGRAPH_EDGES) {
      edges.length = MAX_SUBGRAPH_EDGES;
      truncated = true;
    }
    return { dids, edges, truncated };
  });
}

async function expand(
  tx: ManagedTransaction,
  direction: Direction,
  frontier: string[],
  seen: string[],
  hashtag: string | null,
  room: number,
): Promise<string[]> {
  const result = await tx.run<{ did: string }>(expandCypher(direction), { frontier, seen, hashtag, room });
  return result.records.map((r) => r.get('did'));
}

async function hasMore(tx: ManagedTransaction, direction: Direction, frontier: string[], seen: string[], hashtag: string | null): Promise<boolean> {
  return (await expand(tx, direction, frontier, seen, hashtag, 1)).length > 0;
}

export interface RelationshipSkeleton {
  readonly aFollowsB: boolean;
  readonly bFollowsA: boolean;
  /** Hops along FOLLOWS from a to b; null when b is unreachable; 0 when a = b. */
  readonly shortestPathLength: number | null;
  /** Hops ignoring direction; null when unconnected; 0 when a = b. */
  readonly undirectedPathLength: number | null;
}

const RELATIONSHIP = `
MATCH (a:Actor {did: $a}), (b:Actor {did: $b})
OPTIONAL MATCH directed = shortestPath((a)-[:FOLLOWS*]->(b))
OPTIONAL MATCH undirected = shortestPath((a)-[:FOLLOWS*]-(b))
RETURN EXISTS { (a)-[:FOLLOWS]->(b) } AS aFollowsB,
       EXISTS { (b)-[:FOLLOWS]->(a) } AS bFollowsA,
       length(directed) AS directed,
       length(undirected) AS undirected`;

// shortestPath refuses a path from a node to itself, so a = b has its own query.
const SELF = `
MATCH (a:Actor {did: $a})
RETURN EXISTS { (a)-[:FOLLOWS]->(a) } AS aFollowsB`;

export async function relationship(db: GraphDatabase, a: string, b: string): Promise<RelationshipSkeleton> {
  if (a === b) {
    const rows = await db.read<{ aFollowsB: boolean }>(SELF, { a });
    const self = rows[0]?.aFollowsB ?? false;
    return { aFollowsB: self, bFollowsA: self, shortestPathLength: 0, undirectedPathLength: 0 };
  }
  const rows = await db.read<{ aFollowsB: boolean; bFollowsA: boolean; directed: number | null; undirected: number | null }>(RELATIONSHIP, { a, b });
  const row = rows[0];
  if (!row) return { aFollowsB: false, bFollowsA: false, shortestPathLength: null, undirectedPathLength: null };
  return {
    aFollowsB: row.aFollowsB,
    bFollowsA: row.bFollowsA,
    shortestPathLength: row.directed === null ? null : Number(row.directed),
    undirectedPathLength: row.undirected === null ? null : Number(row.undirected),
  };
}
