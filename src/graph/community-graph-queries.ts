/**
 * A hashtag's whole graph in one read, for the graph view: the scope of scope-cypher.ts (members,
 * plus everyone they follow for ALL) and every FOLLOWS from a member to an actor of that set. Unlike
 * analytics and exports it is bounded by `limit`, so the actors are chosen first (members by DID,
 * then followed actors) and the edges are those among the chosen DIDs.
 * Skeleton only (DIDs and edges); the API hydrates the actors.
 *
 * `asOf`: the graph as it stood then, as far as the data tells: members whose first post with the
 * tag (POSTED_WITH.firstAt) is not later, follows whose record (createdAt) is not later. Follows
 * without a date (crawled through the AppView) are left out unless `includeUndated`; follows
 * removed since cannot come back (the graph keeps no history of deletions).
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

const MEMBERS_AS_OF = `
MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag})
WHERE toString(p.firstAt) =~ '\\d{4}-\\d{2}-\\d{2}T.*' AND toString(p.firstAt) <= $asOf
RETURN a.did AS did ORDER BY did LIMIT toInteger($limit)`;

// Whether a follow belongs to the graph asked for: every follow now; at asOf, the dated ones.
// Stored times are ISO 8601 strings in UTC ('…Z'), so they compare as text; anything else counts as undated.
const FOLLOW_IN_TIME = `($asOf IS NULL OR (toString(f.createdAt) =~ '\\d{4}-\\d{2}-\\d{2}T.*' AND toString(f.createdAt) <= $asOf) OR ($includeUndated AND NOT coalesce(toString(f.createdAt), '') =~ '\\d{4}-\\d{2}-\\d{2}T.*'))`;

const FOLLOWED = `
UNWIND $members AS did
MATCH (:Actor {did: did})-[f:FOLLOWS]->(t:Actor)
WHERE NOT t.did IN $members AND ${FOLLOW_IN_TIME}
RETURN DISTINCT t.did AS did ORDER BY did LIMIT toInteger($room)`;

// One record per member with its targets collected: far fewer records than edges.
const EDGES = `
UNWIND $members AS did
MATCH (a:Actor {did: did})
CALL (a) {
  MATCH (a)-[f:FOLLOWS]->(b:Actor)
  WHERE b.did IN $dids AND ${FOLLOW_IN_TIME}
  RETURN collect(b.did) AS targets
}
RETURN a.did AS source, targets`;

export async function communityGraph(
  db: GraphDatabase,
  args: { hashtag: string; scope: 'COMMUNITY' | 'ALL'; limit: number; asOf?: string | null; includeUndated?: boolean },
): Promise<CommunityGraphSkeleton> {
  const time = { asOf: args.asOf ?? null, includeUndated: args.includeUndated === true };
  return db.readTx(async (tx) => {
    const memberRows = await tx.run(time.asOf === null ? MEMBERS : MEMBERS_AS_OF, { hashtag: args.hashtag, limit: args.limit + 1, asOf: time.asOf });
    let members = memberRows.records.map((r) => r.get('did') as string);
    let truncated = members.length > args.limit;
    members = members.slice(0, args.limit);
    let dids = members;
    if (args.scope === 'ALL' && members.length < args.limit) {
      const room = args.limit - members.length;
      const followed = (await tx.run(FOLLOWED, { members, room: room + 1, ...time })).records.map((r) => r.get('did') as string);
      truncated ||= followed.length > room;
      dids = [...members, ...followed.slice(0, room)];
    }
    const edges: Array<[string, string]> = [];
    const result = await tx.run(EDGES, { members, dids, ...time });
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
