/**
 * What a crawl of a hashtag could not see, read from the graph: members without a profile, and
 * members whose stored follows fall short of the follows count on their profile (the AppView leaves
 * out blocked, deleted and taken-down accounts; a list cut short by errors is kept as it was).
 */
import type { GraphDatabase } from './database.js';

const COMPLETENESS = `
MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: $hashtag})
WITH a, COUNT { (a)-[:FOLLOWS]->() } AS listed
WITH a, listed, CASE WHEN a.followsCount IS NULL THEN null ELSE toInteger(a.followsCount) END AS claimed
WITH count(a) AS members,
     sum(CASE WHEN a.profileFetchedAt IS NULL OR a.profileMissing = true THEN 1 ELSE 0 END) AS withoutProfile,
     sum(CASE WHEN claimed IS NULL THEN 0 ELSE 1 END) AS compared,
     sum(CASE WHEN claimed > listed THEN 1 ELSE 0 END) AS short,
     sum(CASE WHEN claimed > listed THEN claimed - listed ELSE 0 END) AS gap,
     sum(listed) AS listed,
     sum(coalesce(claimed, 0)) AS claimed
RETURN members, withoutProfile, compared, short, gap, listed, claimed`;

const LARGEST_GAPS = `
MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: $hashtag})
WHERE a.followsCount IS NOT NULL
WITH a, toInteger(a.followsCount) - COUNT { (a)-[:FOLLOWS]->() } AS gap
WHERE gap > 0
RETURN a.did AS did
ORDER BY gap DESC, did
LIMIT toInteger($sample)`;

export interface CompletenessRow {
  readonly members: number;
  readonly withoutProfile: number;
  /** Members whose profile gives a follows count (the others cannot be compared). */
  readonly compared: number;
  readonly short: number;
  readonly gap: number;
  readonly listed: number;
  readonly claimed: number;
  /** DIDs of the members with the largest gaps, largest first. */
  readonly sample: string[];
}

export async function readCompleteness(db: GraphDatabase, hashtag: string, sample: number): Promise<CompletenessRow> {
  const [rows, gaps] = await Promise.all([
    db.read<Record<keyof CompletenessRow, unknown>>(COMPLETENESS, { hashtag }),
    sample > 0 ? db.read<{ did: string }>(LARGEST_GAPS, { hashtag, sample }) : Promise.resolve([]),
  ]);
  const r = rows[0];
  const n = (v: unknown) => Number(v ?? 0);
  return {
    members: n(r?.members),
    withoutProfile: n(r?.withoutProfile),
    compared: n(r?.compared),
    short: n(r?.short),
    gap: n(r?.gap),
    listed: n(r?.listed),
    claimed: n(r?.claimed),
    sample: gaps.map((g) => g.did),
  };
}
