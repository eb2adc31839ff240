/**
 * Cypher behind centrality and communities: reading a scope (actors, follows), projecting it into
 * GDS, streaming GDS results, and the explicitly written scores of a hashtag (on POSTED_WITH). A scope is the whole graph
 * (`hashtag: null`) or a hashtag's scope as scope-cypher.ts defines it (members; plus everyone they
 * follow for ALL).
 */
import type { GraphDatabase } from './database.js';
import type { CentralityMetric } from '../core/centrality.js';
import type { GraphScope } from '../core/scope.js';
import { FOLLOW_TARGET_IN_SCOPE, MATCH_MEMBERS, matchScopeActors, scopeParams } from './scope-cypher.js';

/** Long-running analytics get more room than the default 30 s query timeout. */
const ANALYTICS_TIMEOUT_MS = 30 * 60_000;

// ---------------------------------------------------------------------------------------------
// Before computing: which graph version, and is there such a hashtag (one query; a cache hit costs
// only this, and a made-up hashtag is answered here without computing or caching anything).

const QUESTION_STATE = `
OPTIONAL MATCH (v:GraphVersion {id: 'graph'})
WITH coalesce(v.version, 0) AS version
OPTIONAL MATCH (h:Hashtag {name: $hashtag})
RETURN version, $hashtag IS NULL OR h IS NOT NULL AS exists`;

export async function readQuestionState(db: GraphDatabase, hashtag: string | null): Promise<{ version: number; exists: boolean }> {
  const rows = await db.read<{ version: number; exists: boolean }>(QUESTION_STATE, { hashtag });
  return { version: Number(rows[0]?.version ?? 0), exists: rows[0]?.exists === true };
}

// ---------------------------------------------------------------------------------------------
// Reading a scope (the graphology engine's input)

const GRAPH_ACTORS = `MATCH (a:Actor) RETURN a.did AS did, a.handle AS handle`;

const SCOPE_ACTORS = {
  COMMUNITY: `${matchScopeActors('COMMUNITY')}\nRETURN a.did AS did, a.handle AS handle`,
  ALL: `${matchScopeActors('ALL')}\nRETURN a.did AS did, a.handle AS handle`,
} as const;

export function streamScopeActors(db: GraphDatabase, scope: GraphScope): AsyncGenerator<{ did: string; handle: string | null }> {
  if (scope.hashtag === null) return db.stream(GRAPH_ACTORS, {}, ANALYTICS_TIMEOUT_MS);
  return db.stream(SCOPE_ACTORS[scope.scope], { hashtag: scope.hashtag }, ANALYTICS_TIMEOUT_MS);
}

// One record per source with its targets collected (a subquery per actor, so nothing is aggregated
// across the whole graph): a few thousand records instead of one per edge, about 4× faster through
// the driver, and still bounded by the largest follow list.
const GRAPH_FOLLOWS = `
MATCH (a:Actor)
CALL (a) {
  MATCH (a)-[:FOLLOWS]->(b:Actor)
  RETURN collect(b.did) AS targets
}
WITH a, targets WHERE size(targets) > 0
RETURN a.did AS source, targets`;

const SCOPE_FOLLOWS = `
${MATCH_MEMBERS}
CALL (a, h) {
  MATCH (a)-[:FOLLOWS]->(b:Actor)
  ${FOLLOW_TARGET_IN_SCOPE}
  RETURN collect(b.did) AS targets
}
WITH a, targets WHERE size(targets) > 0
RETURN a.did AS source, targets`;

export function streamScopeFollows(db: GraphDatabase, scope: GraphScope): AsyncGenerator<{ source: string; targets: string[] }> {
  if (scope.hashtag === null) return db.stream(GRAPH_FOLLOWS, {}, ANALYTICS_TIMEOUT_MS);
  return db.stream(SCOPE_FOLLOWS, scopeParams(scope.hashtag, scope.scope), ANALYTICS_TIMEOUT_MS);
}

// ---------------------------------------------------------------------------------------------
// GDS: project, stream, drop

export function hasGraphProjectFunction(db: GraphDatabase): Promise<boolean> {
  return db
    .read<{ n: number }>(`SHOW FUNCTIONS YIELD name WHERE name = 'gds.graph.project' RETURN count(*) AS n`)
    .then((rows) => (rows[0]?.n ?? 0) > 0)
    .catch(() => false);
}

// Cypher aggregation projection (GDS ≥ 2.4). The OPTIONAL MATCH keeps actors without follows in
// scope as isolated nodes (target null), exactly like the graphology engine's node pass.
const PROJECT_GRAPH = `
MATCH (a:Actor)
OPTIONAL MATCH (a)-[:FOLLOWS]->(b:Actor)
WITH gds.graph.project($graphName, a, b, {}, $config) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships`;

const PROJECT_SCOPE = `
${MATCH_MEMBERS}
OPTIONAL MATCH (a)-[:FOLLOWS]->(b:Actor)
${FOLLOW_TARGET_IN_SCOPE}
WITH gds.graph.project($graphName, a, b, {}, $config) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS relationships`;

/** Projects a scope under a unique name; `undirected` for Louvain. Zero nodes when the scope is empty. */
export async function projectScope(
  db: GraphDatabase,
  graphName: string,
  scope: GraphScope,
  options: { undirected: boolean },
): Promise<{ nodes: number; relationships: number }> {
  const config = options.undirected ? { undirectedRelationshipTypes: ['*'] } : {};
  const rows =
    scope.hashtag === null
      ? await db.read<{ nodes: number | null; relationships: number | null }>(PROJECT_GRAPH, { graphName, config }, ANALYTICS_TIMEOUT_MS)
      : await db.read<{ nodes: number | null; relationships: number | null }>(
          PROJECT_SCOPE,
          { graphName, config, ...scopeParams(scope.hashtag, scope.scope) },
          ANALYTICS_TIMEOUT_MS,
        );
  return { nodes: Number(rows[0]?.nodes ?? 0), relationships: Number(rows[0]?.relationships ?? 0) };
}

const DROP_GRAPH = `CALL gds.graph.drop($graphName, false) YIELD graphName RETURN graphName`;

export async function dropProjection(db: GraphDatabase, graphName: string): Promise<void> {
  await db.read(DROP_GRAPH, { graphName });
}

// Every stream returns the actor's DID and handle (for tie-breaking) next to the score.
const NODE_OF = `WITH gds.util.asNode(nodeId) AS a, score RETURN a.did AS did, a.handle AS handle, score`;

const PAGERANK_STREAM = `
CALL gds.pageRank.stream($graphName, {dampingFactor: $damping, maxIterations: toInteger($maxIterations), tolerance: $tolerance})
YIELD nodeId, score
${NODE_OF}`;

const BETWEENNESS_STREAM = `
CALL gds.betweenness.stream($graphName)
YIELD nodeId, score
${NODE_OF}`;

const CLOSENESS_STREAM = `
CALL gds.closeness.stream($graphName, {useWassermanFaust: true})
YIELD nodeId, score
${NODE_OF}`;

// NATURAL counts outgoing (follows), REVERSE incoming (followers), UNDIRECTED both.
const DEGREE_STREAM = `
CALL gds.degree.stream($graphName, {orientation: $orientation})
YIELD nodeId, score
${NODE_OF}`;

const ORIENTATION = { DEGREE: 'UNDIRECTED', IN_DEGREE: 'REVERSE', OUT_DEGREE: 'NATURAL' } as const;

export function streamGdsCentrality(
  db: GraphDatabase,
  graphName: string,
  metric: CentralityMetric,
  /** The analytics layer's PageRank parameters, so both engines run the same ones. */
  pagerank: { readonly damping: number; readonly maxIterations: number; readonly tolerance: number },
): AsyncGenerator<{ did: string; handle: string | null; score: number }> {
  switch (metric) {
    case 'PAGERANK':
      return db.stream(PAGERANK_STREAM, { graphName, ...pagerank }, ANALYTICS_TIMEOUT_MS);
    case 'BETWEENNESS':
      return db.stream(BETWEENNESS_STREAM, { graphName }, ANALYTICS_TIMEOUT_MS);
    case 'CLOSENESS':
      return db.stream(CLOSENESS_STREAM, { graphName }, ANALYTICS_TIMEOUT_MS);
    case 'DEGREE':
    case 'IN_DEGREE':
    case 'OUT_DEGREE':
      return db.stream(DEGREE_STREAM, { graphName, orientation: ORIENTATION[metric] }, ANALYTICS_TIMEOUT_MS);
  }
}

// One thread: GDS Louvain is only reproducible run to run without parallel moves.
const LOUVAIN_STREAM = `
CALL gds.louvain.stream($graphName, {concurrency: 1})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).did AS did, communityId`;

export function streamGdsLouvain(db: GraphDatabase, graphName: string): AsyncGenerator<{ did: string; communityId: number }> {
  return db.stream(LOUVAIN_STREAM, { graphName }, ANALYTICS_TIMEOUT_MS);
}

// Leiden refines each community before aggregating, so every community it returns is connected.
// One thread and a fixed seed: reruns give the same partition.
const LEIDEN_STREAM = `
CALL gds.leiden.stream($graphName, {concurrency: 1, randomSeed: toInteger($seed)})
YIELD nodeId, communityId
RETURN gds.util.asNode(nodeId).did AS did, communityId`;

export function streamGdsLeiden(db: GraphDatabase, graphName: string, seed: number): AsyncGenerator<{ did: string; communityId: number }> {
  return db.stream(LEIDEN_STREAM, { graphName, seed }, ANALYTICS_TIMEOUT_MS);
}

// ---------------------------------------------------------------------------------------------
// Scores of a hashtag, written only by the explicit step (writeScores / computeScores), never by a
// query. They live on POSTED_WITH so two hashtags never overwrite each other, and they go when the
// membership goes. One transaction: readers see the old scores or the new ones, never a mix.

const CLEAR_HASHTAG_SCORES = `
MATCH (h:Hashtag {name: $hashtag})<-[p:POSTED_WITH]-(:Actor)
REMOVE p.pagerank, p.community`;

const WRITE_HASHTAG_SCORES = `
UNWIND $rows AS r
MATCH (a:Actor {did: r.did})-[p:POSTED_WITH]->(h:Hashtag {name: $hashtag})
SET p.pagerank = r.pagerank, p.community = toInteger(r.community)
RETURN count(p) AS written`;

const MARK_HASHTAG_SCORED = `
MATCH (h:Hashtag {name: $hashtag})
SET h.scoresGraphVersion = $graphVersion, h.scoresComputedAt = datetime()
RETURN toString(h.scoresComputedAt) AS computedAt`;

const STORED_COMMUNITIES = `
MATCH (a:Actor)-[p:POSTED_WITH]->(:Hashtag {name: $hashtag})
WHERE p.community IS NOT NULL
RETURN a.did AS did, p.community AS community`;

/** The community ids computeScores last wrote for a hashtag: what new ids are matched against. */
export async function readStoredCommunities(db: GraphDatabase, hashtag: string): Promise<Map<string, number>> {
  const rows = await db.read<{ did: string; community: number }>(STORED_COMMUNITIES, { hashtag });
  return new Map(rows.map((r) => [r.did, Number(r.community)]));
}

export interface HashtagScoreRow {
  readonly did: string;
  readonly pagerank: number | null;
  readonly community: number | null;
}

export async function writeHashtagScores(
  db: GraphDatabase,
  hashtag: string,
  graphVersion: number,
  rows: readonly HashtagScoreRow[],
  batchSize: number,
): Promise<{ written: number; computedAt: string | null }> {
  return db.writeTx(async (tx) => {
    await tx.run(CLEAR_HASHTAG_SCORES, { hashtag });
    let written = 0;
    for (let i = 0; i < rows.length; i += batchSize) {
      const result = await tx.run(WRITE_HASHTAG_SCORES, { hashtag, rows: rows.slice(i, i + batchSize) });
      written += Number(result.records[0]?.get('written') ?? 0);
    }
    const marked = await tx.run(MARK_HASHTAG_SCORED, { hashtag, graphVersion });
    const computedAt = marked.records[0]?.get('computedAt');
    return { written, computedAt: computedAt == null ? null : String(computedAt) };
  }, ANALYTICS_TIMEOUT_MS);
}

const HASHTAG_SCORES = `
UNWIND $dids AS did
MATCH (a:Actor {did: did})-[p:POSTED_WITH]->(:Hashtag {name: $hashtag})
RETURN a.did AS did, p.pagerank AS pagerank, p.community AS community`;

/** The written scores of many actors in one hashtag, in one query (the Actor fields' loader). */
export async function loadHashtagScores(db: GraphDatabase, hashtag: string, dids: readonly string[]): Promise<Map<string, HashtagScoreRow>> {
  const rows = await db.read<{ did: string; pagerank: number | null; community: number | null }>(HASHTAG_SCORES, { hashtag, dids: [...new Set(dids)] });
  return new Map(
    rows.map((r) => [r.did, { did: r.did, pagerank: r.pagerank == null ? null : Number(r.pagerank), community: r.community == null ? null : Number(r.community) }]),
  );
}

// The PAGERANK order of a hashtag's members, by the written score (never null: -1 for none, so the
// keyset comparison and the sort agree). Same shape as actor-queries.ts' list query.
const MEMBERS_BY_PAGERANK = `
MATCH (:Hashtag {name: $hashtag})<-[p:POSTED_WITH]-(a:Actor)
WHERE $search IS NULL
   OR toLower(coalesce(a.handle, '')) CONTAINS $search
   OR toLower(coalesce(a.displayName, '')) CONTAINS $search
WITH a, coalesce(toFloat(p.pagerank), -1.0) AS key
WHERE $after IS NULL OR key < $after.key OR (key = $after.key AND a.did > $after.did)
RETURN a.did AS did, key
ORDER BY key DESC, did ASC
LIMIT toInteger($limit)`;

/** Skeleton of `actors(hashtag, orderBy: PAGERANK)`: `first` DIDs after the cursor, plus one to learn hasNextPage. */
export async function membersByPagerankPage(
  db: GraphDatabase,
  args: { hashtag: string; search: string | null; first: number; after: { key: number | string; did: string } | null },
): Promise<{ items: Array<{ key: number; did: string }>; hasNextPage: boolean }> {
  const rows = await db.read<{ did: string; key: number }>(MEMBERS_BY_PAGERANK, {
    hashtag: args.hashtag,
    search: args.search,
    after: args.after,
    limit: args.first + 1,
  });
  return { items: rows.slice(0, args.first).map((r) => ({ did: r.did, key: Number(r.key) })), hasNextPage: rows.length > args.first };
}
