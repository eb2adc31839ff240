/**
 * FOLLOWS edges merged per second through the ingest's own write path (writeIngestBatch), for
 * several batch sizes, beside the naive one-edge-per-transaction figure, in the same run.
 * Usage: node --import @swc-node/register/esm-register bench/neo4j-writes.ts [edges=200000]
 * Wipes the database it points at (NEO4J_URI): use a scratch server.
 */
import { loadConfig } from '../src/config/config.js';
import { GraphDatabase } from '../src/graph/database.js';
import { writeIngestBatch, type IngestBatch, type TargetRow } from '../src/graph/ingest-writes.js';
import { migrate } from '../src/graph/migrations.js';
import { round, writeResult } from './support.js';

const totalEdges = Number(process.argv[2] ?? 200_000);
const sources = 1000;
const actors = 20_000;
const naiveEdges = 2000;

const db = GraphDatabase.fromConfig(loadConfig(process.env));
await migrate(db);

const did = (i: number) => `did:plc:bench${String(i).padStart(19, '0')}`;
const target = (i: number): TargetRow => ({ did: did(i), handle: `a${i}.bench.test`, displayName: `Actor ${i}`, description: null, avatar: null, createdAt: null });

/** A deterministic edge list: each source follows a spread of targets. */
function edges(n: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const perSource = Math.ceil(n / sources);
  for (let s = 0; s < sources && out.length < n; s++) {
    for (let k = 0; k < perSource && out.length < n; k++) out.push([s, (s * 7919 + k * 104729) % actors]);
  }
  return out;
}

async function reset(): Promise<void> {
  await db.autoCommit('MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 20000 ROWS', {}, 600_000);
  await db.write('CREATE (:IngestRun {id: "bench"})');
  // The batch proves the hashtag's lease, as a real run's does (its cost is part of the figure).
  await db.write('CREATE (:IngestLease {hashtag: "bench", holder: "bench", token: 1, expiresAt: timestamp() + 86400000})');
  await db.write('UNWIND range(0, $n - 1) AS i MERGE (a:Actor {did: "did:plc:bench" + right("0000000000000000000" + toString(i), 19)})', { n: sources });
}

function batch(list: Array<[number, number]>): IngestBatch {
  const targets = new Map<string, TargetRow>();
  for (const [, t] of list) targets.set(did(t), target(t));
  return {
    lease: { hashtag: 'bench', holder: 'bench', token: 1, ttlMs: 86_400_000 }, runId: 'bench', hashtag: 'bench', stamp: 1, members: [], newMembers: [], profiles: [], profilesMissing: [],
    targets: [...targets.values()], targetsMissing: [], edges: list.map(([s, t]) => [did(s), did(t)]), recordEdges: [], completed: [], incomplete: [], checkpoint: null, counters: {},
  };
}

async function measure(batchSize: number, list: Array<[number, number]>): Promise<number> {
  await reset();
  const started = performance.now();
  for (let i = 0; i < list.length; i += batchSize) {
    const b = batch(list.slice(i, i + batchSize));
    await db.writeTx((tx) => writeIngestBatch(tx, b), 600_000);
  }
  const seconds = (performance.now() - started) / 1000;
  const count = await db.read<{ n: number }>('MATCH ()-[f:FOLLOWS]->() RETURN count(f) AS n');
  if (count[0]!.n !== list.length) throw new Error(`expected ${list.length} edges, found ${count[0]!.n}`);
  return list.length / seconds;
}

const all = edges(totalEdges);
const results: Record<string, number> = {};
results.naive_1_edge_per_tx = round(await measure(1, all.slice(0, naiveEdges)), 0);
for (const size of [1000, 5000, 10_000, 20_000]) results[`batch_${size}`] = round(await measure(size, all), 0);
// Re-ingest: the same edges merged again into an existing graph (MERGE finds, SET seenAt).
const remerge = performance.now();
for (let i = 0; i < all.length; i += 10_000) {
  const b = batch(all.slice(i, i + 10_000));
  await db.writeTx((tx) => writeIngestBatch(tx, { ...b, stamp: 2 }), 600_000);
}
results.remerge_batch_10000 = round(all.length / ((performance.now() - remerge) / 1000), 0);
await reset();
await db.close();

const chosen = results.batch_10000!;
writeResult('neo4j-writes', {
  benchmark: 'neo4j-writes',
  settings: { edges: totalEdges, sources, actors, naiveEdges, chosenBatch: 10_000 },
  edgesPerSecond: results,
  speedUpOverNaive: round(chosen / results.naive_1_edge_per_tx!, 1),
});
