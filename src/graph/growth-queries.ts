/**
 * The per-day counts a growth series is made of: members by the day of their first post with the
 * tag (POSTED_WITH.firstAt), and FOLLOWS among current members by their record's createdAt (known
 * for edges read from repositories or folded by the watcher; AppView-crawled edges have none).
 * Days are the first ten characters of the stored ISO timestamp; src/core/time-buckets.ts checks them.
 */
import type { DayCount } from '../core/time-buckets.js';
import type { GraphDatabase } from './database.js';

const EXISTS = `MATCH (h:Hashtag {name: $hashtag}) RETURN count(h) AS n`;

const MEMBER_DAYS = `
MATCH (:Hashtag {name: $hashtag})<-[p:POSTED_WITH]-(:Actor)
WITH left(toString(p.firstAt), 10) AS day
RETURN day, count(*) AS count`;

const FOLLOW_DAYS = `
MATCH (h:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(:Actor)-[f:FOLLOWS]->(:Actor)-[:POSTED_WITH]->(h)
WITH left(toString(f.createdAt), 10) AS day
RETURN day, count(*) AS count`;

export interface GrowthDays {
  readonly exists: boolean;
  readonly memberDays: DayCount[];
  readonly followDays: DayCount[];
}

/** One read transaction, so both series describe the same graph. */
export function growthDays(db: GraphDatabase, hashtag: string): Promise<GrowthDays> {
  return db.readTx(async (tx) => {
    const exists = Number((await tx.run(EXISTS, { hashtag })).records[0]?.get('n') ?? 0) > 0;
    if (!exists) return { exists, memberDays: [], followDays: [] };
    const rows = async (cypher: string) =>
      (await tx.run(cypher, { hashtag })).records.map((r) => ({ day: (r.get('day') as string | null) ?? null, count: Number(r.get('count')) }));
    return { exists, memberDays: await rows(MEMBER_DAYS), followDays: await rows(FOLLOW_DAYS) };
  }, undefined, 'growthDays');
}
