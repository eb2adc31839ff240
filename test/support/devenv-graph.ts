/**
 * Reads what the ingest wrote to Neo4j in the shape of `ExpectedGraph`, with accounts named by
 * their seeded names (unknown DIDs stay DIDs), so a failing comparison reads like the seed plan.
 */
import type { GraphDatabase } from '../../src/graph/database.js';
import type { ExpectedGraph, ExpectedMember, ExpectedTarget } from './devenv-community.js';

export interface ObservedGraph extends ExpectedGraph {
  /** FOLLOWS edges whose source is not a member (there must be none). */
  readonly strayEdges: string[];
  /** Actor nodes per DID, to catch a second node for a renamed account. */
  readonly duplicateDids: string[];
}

const MEMBERS = `
MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $tag})
OPTIONAL MATCH (a)-[:FOLLOWS]->(t:Actor)
RETURN a.did AS did, a.handle AS handle, a.displayName AS displayName, a.description AS description,
       a.postsCount AS postsCount, a.followersCount AS followersCount, a.followsCount AS followsCount,
       p.posts AS tagPosts, collect(t.did) AS follows`;

const TARGETS = `
MATCH (:Hashtag {name: $tag})<-[:POSTED_WITH]-(:Actor)-[:FOLLOWS]->(t:Actor)
WHERE NOT (t)-[:POSTED_WITH]->(:Hashtag {name: $tag})
RETURN DISTINCT t.did AS did, t.handle AS handle, t.displayName AS displayName, t.description AS description`;

const STRAY = `
MATCH (a:Actor)-[:FOLLOWS]->(b:Actor)
WHERE NOT (a)-[:POSTED_WITH]->(:Hashtag {name: $tag})
RETURN a.did AS s, b.did AS t`;

const DUPLICATES = `MATCH (a:Actor) WITH a.did AS did, count(*) AS n WHERE n > 1 RETURN did`;

export async function observedGraph(db: GraphDatabase, tag: string, nameOf: (did: string) => string): Promise<ObservedGraph> {
  const order = (x: { name: string }, y: { name: string }) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0);
  const members = (await db.read<Record<string, unknown>>(MEMBERS, { tag })).map(
    (r): ExpectedMember => ({
      name: nameOf(r.did as string),
      handle: r.handle as string,
      displayName: r.displayName as string,
      description: r.description as string,
      postsCount: r.postsCount as number,
      followersCount: r.followersCount as number,
      followsCount: r.followsCount as number,
      tagPosts: r.tagPosts as number,
      follows: (r.follows as string[]).map(nameOf).sort(),
    }),
  );
  const targets = (await db.read<Record<string, unknown>>(TARGETS, { tag })).map(
    (r): ExpectedTarget => ({
      name: nameOf(r.did as string),
      handle: r.handle as string,
      displayName: r.displayName as string,
      description: r.description as string,
    }),
  );
  const strayEdges = (await db.read<{ s: string; t: string }>(STRAY, { tag })).map((r) => `${nameOf(r.s)} -> ${nameOf(r.t)}`);
  const duplicateDids = (await db.read<{ did: string }>(DUPLICATES)).map((r) => r.did);
  return { members: members.sort(order), targets: targets.sort(order), strayEdges, duplicateDids };
}
