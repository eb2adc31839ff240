/** Reads a hashtag's community back out of Neo4j in a shape tests compare with ground truth. */
import type { GraphDatabase } from '../../src/graph/database.js';

export interface CommunitySnapshot {
  members: string[];
  /** "src dst" strings, sorted. */
  edges: string[];
  handles: Map<string, string>;
  posts: Map<string, number>;
}

export async function snapshotCommunity(db: GraphDatabase, hashtag: string): Promise<CommunitySnapshot> {
  const members = await db.read<{ did: string; handle: string; posts: number }>(
    `MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag}) RETURN a.did AS did, a.handle AS handle, p.posts AS posts`,
    { hashtag },
  );
  const edges: string[] = [];
  for await (const row of db.stream<{ s: string; t: string }>(
    `MATCH (:Hashtag {name: $hashtag})<-[:POSTED_WITH]-(a:Actor)-[:FOLLOWS]->(b:Actor) RETURN a.did AS s, b.did AS t`,
    { hashtag },
  )) {
    edges.push(`${row.s} ${row.t}`);
  }
  const handles = new Map<string, string>();
  const everyone = await db.read<{ did: string; handle: string }>('MATCH (a:Actor) RETURN a.did AS did, a.handle AS handle');
  for (const a of everyone) handles.set(a.did, a.handle);
  return {
    members: members.map((m) => m.did).sort(),
    edges: edges.sort(),
    handles,
    posts: new Map(members.map((m) => [m.did, Number(m.posts)])),
  };
}
