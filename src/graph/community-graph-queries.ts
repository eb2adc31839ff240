/**
 * A hashtag's whole graph in one read, for the graph view: the scope of scope-cypher.ts (members,
 * plus everyone they follow for ALL) and every FOLLOWS from a member to an actor of that set. Unlike
 * analytics and exports it is bounded by `limit`, so the actors are chosen first (members by DID,
 * then followed actors) and the edges are those among the chosen DIDs.
 * Skeleton only (DIDs and edges); the API hydrates the actors.
 */
import type { GraphDatabase } from './database.js';
import { MAX_SUBGRAPH_EDGES } from './relationship-queries.js';
import { MATCH_MEMBERS } from './scope-cypher.js';

export interface CommunityGraphSkeleton {
  /** Members first (by DID), then, for ALL, the actors they follow (by DID). */
  readonly dids: string[];
  readonly edges: Array<[string, string]>;
  readonly truncated: boolean;
}

const MEMBERS = `
${MATCH_MEMBERS}
RETURN a.did AS did ORDER BY did LIMIT toInteger($limit)`;

const FOLLOWED = `
UNWIND $members AS did
MATCH (:Actor {did: did})-[:FOLLOWS]->(t:Actor)
WHERE NOT t.did IN $members
RETURN DISTINCT t.did AS did ORDER BY did LIMIT toInteger($room)`;

// One record per member with its targets collected: far fewer records than edges.
const EDGES = `
UNWIND $members AS did
MATCH (a:Actor {did: did})
CALL (a) {
  MATCH (a)-[:FOLLOWS]->(b:Actor)
  WHERE b.did IN $dids
  RETURN collect(b.did) AS targets
}
RETURN a.did AS source, targets`;

export async function communityGraph(
  db: GraphDatabase,
  args: { hashtag: string; scope: 'COMMUNITY' | 'ALL'; limit: number },
): Promise<CommunityGraphSkeleton> {
  return db.readTx(async (tx) => {
    const memberRows = await tx.run(MEMBERS, { hashtag: args.hashtag, limit: args.limit + 1 });
    let members = memberRows.records.map((r) => r.get('did') as string);
    let truncated = members.length > args.limit;
    members = members.slice(0, args.limit);
    let dids = members;
    if (args.scope === 'ALL' && members.length < args.limit) {
      const room = args.limit - members.length;
      const followed = (await tx.run(FOLLOWED, { members, room: room + 1 })).records.map((r) => r.get('did') as string);
      truncated ||= followed.length > room;
      dids = [...members, ...followed.slice(0, room)];
    }
    const edges: Array<[string, string]> = [];
    const result = await tx.run(EDGES, { members, dids });
    for (const record of result.records) {
      const source = record.get('source') as string;
      for (const target of record.get('targets') as string[]) {
        if (edges.length >= MAX_SUBGRAPH_EDGES) {
          truncated = true;
          break;
        }
        edges.push([source, target]);
      }
    }
    return { dids, edges, truncated };
  }, 120_000);
}
