/** Reads about the hashtags in the graph: how big each community is and when it was last crawled. */
import type { ManagedTransaction } from 'neo4j-driver';
import type { GraphDatabase } from './database.js';

export interface HashtagStatsRecord {
  readonly name: string;
  /** Actors with POSTED_WITH to the hashtag. */
  readonly members: number;
  /** FOLLOWS edges from a member to a member (COMMUNITY scope). */
  readonly follows: number;
  /** Members plus everyone they follow (ALL scope). */
  readonly actors: number;
  /** FOLLOWS edges from members to anyone (ALL scope). */
  readonly outgoingFollows: number;
  /** finishedAt of the latest successful ingest, ISO 8601. */
  readonly lastIngestAt: string | null;
}

const HASHTAG_STATS = `
MATCH (h:Hashtag)
CALL (h) {
  MATCH (m:Actor)-[:POSTED_WITH]->(h)
  RETURN count(m) AS members
}
CALL (h) {
  MATCH (h)<-[:POSTED_WITH]-(:Actor)-[f:FOLLOWS]->(t:Actor)
  RETURN count(f) AS outgoingFollows,
         count(CASE WHEN EXISTS { (t)-[:POSTED_WITH]->(h) } THEN 1 END) AS follows,
         count(DISTINCT CASE WHEN NOT EXISTS { (t)-[:POSTED_WITH]->(h) } THEN t END) AS outsiders
}
CALL (h) {
  OPTIONAL MATCH (r:IngestRun {hashtag: h.name})
  WHERE r.status = 'SUCCEEDED'
  RETURN max(r.finishedAt) AS lastIngestAt
}
RETURN h.name AS name, members, follows, members + outsiders AS actors, outgoingFollows,
       toString(lastIngestAt) AS lastIngestAt
ORDER BY members DESC, name`;

const LAST_INGESTS = `
MATCH (r:IngestRun)
WHERE r.status = 'SUCCEEDED'
RETURN r.hashtag AS name, toString(max(r.finishedAt)) AS lastIngestAt`;

/** finishedAt of each hashtag's latest successful ingest (what hashtagStats reports beside its counts). */
export async function lastIngestTimes(tx: ManagedTransaction): Promise<Map<string, string | null>> {
  const result = await tx.run(LAST_INGESTS);
  return new Map(result.records.map((r) => [String(r.get('name')), iso(r.get('lastIngestAt'))]));
}

export async function hashtagStats(db: GraphDatabase): Promise<HashtagStatsRecord[]> {
  const rows = await db.read<Record<string, unknown>>(HASHTAG_STATS);
  return rows.map((r) => ({
    name: String(r.name),
    members: Number(r.members),
    follows: Number(r.follows),
    actors: Number(r.actors),
    outgoingFollows: Number(r.outgoingFollows),
    lastIngestAt: iso(r.lastIngestAt),
  }));
}

/** Neo4j DateTime strings may end in a zone id (`…+01:00[Europe/Paris]`) that Date cannot parse. */
function iso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const d = new Date(String(value).replace(/\[.*\]$/, ''));
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString();
}
