/**
 * How two hashtag communities in one store overlap: their members, the members they share, and
 * the FOLLOWS from one community's members to the other's. One read transaction, one graph.
 */
import type { GraphDatabase } from './database.js';

const OVERLAP = `
OPTIONAL MATCH (ha:Hashtag {name: $a})
OPTIONAL MATCH (hb:Hashtag {name: $b})
CALL (ha) { OPTIONAL MATCH (ha)<-[:POSTED_WITH]-(m:Actor) RETURN count(m) AS membersA }
CALL (hb) { OPTIONAL MATCH (hb)<-[:POSTED_WITH]-(m:Actor) RETURN count(m) AS membersB }
// EXISTS, not a path: a path may not use one relationship twice, so a hashtag with itself would share nobody.
CALL (ha, hb) { OPTIONAL MATCH (ha)<-[:POSTED_WITH]-(m:Actor) WHERE EXISTS { (m)-[:POSTED_WITH]->(hb) } RETURN count(m) AS shared }
CALL (ha, hb) { OPTIONAL MATCH (ha)<-[:POSTED_WITH]-(:Actor)-[f:FOLLOWS]->(:Actor)-[:POSTED_WITH]->(hb) RETURN count(f) AS aToB }
CALL (ha, hb) { OPTIONAL MATCH (hb)<-[:POSTED_WITH]-(:Actor)-[f:FOLLOWS]->(:Actor)-[:POSTED_WITH]->(ha) RETURN count(f) AS bToA }
RETURN ha IS NOT NULL AS hasA, hb IS NOT NULL AS hasB, membersA, membersB, shared, aToB, bToA`;

// Most-followed first (Bluesky follower count), DID to break ties: a stable sample.
const SHARED = `
MATCH (:Hashtag {name: $a})<-[:POSTED_WITH]-(m:Actor)
WHERE EXISTS { (m)-[:POSTED_WITH]->(:Hashtag {name: $b}) }
RETURN m.did AS did ORDER BY coalesce(m.followersCount, -1) DESC, m.did LIMIT toInteger($first)`;

export interface HashtagOverlapRecord {
  readonly hasA: boolean;
  readonly hasB: boolean;
  readonly membersA: number;
  readonly membersB: number;
  readonly shared: number;
  readonly aToB: number;
  readonly bToA: number;
  readonly sharedSample: string[];
}

export function hashtagOverlap(db: GraphDatabase, args: { a: string; b: string; first: number }): Promise<HashtagOverlapRecord> {
  return db.readTx(async (tx) => {
    const row = (await tx.run(OVERLAP, { a: args.a, b: args.b })).records[0]!;
    const n = (k: string) => Number(row.get(k));
    const sample = args.first > 0 ? (await tx.run(SHARED, { a: args.a, b: args.b, first: args.first })).records.map((r) => String(r.get('did'))) : [];
    return { hasA: Boolean(row.get('hasA')), hasB: Boolean(row.get('hasB')), membersA: n('membersA'), membersB: n('membersB'), shared: n('shared'), aToB: n('aToB'), bToA: n('bToA'), sharedSample: sample };
  }, undefined, 'hashtagOverlap');
}
