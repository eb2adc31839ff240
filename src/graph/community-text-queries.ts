/** What community names are made of: each member's bio and the other hashtags it posted with. */
import type { GraphDatabase } from './database.js';

const MEMBER_TEXTS = `
MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag})
RETURN a.did AS did, a.description AS description, coalesce(p.coTags, []) AS coTags`;

export async function readMemberTexts(db: GraphDatabase, hashtag: string): Promise<Array<{ did: string; description: string | null; coTags: string[] }>> {
  return db.read(MEMBER_TEXTS, { hashtag });
}
