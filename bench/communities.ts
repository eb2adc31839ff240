/**
 * Community detection and insights on the demo's community with planted groups (1,500 members in
 * 6 topical groups by default): Louvain in memory (graphology, what the server runs from its read
 * model), Louvain and Leiden on GDS; for each, time, communities, modularity, NMI against the planted
 * groups, and how many communities are internally disconnected. Then the insights a server adds
 * (names, structure, k-cores: one report), bridges and suggestFollows, cold and warm. Wipes NEO4J_URI.
 * `--big`: the same on the 1M-follow bench graph's #databs (5,000 members, ~450,000 follows among
 * them, no planted groups, so no NMI), into communities-big.json.
 * Usage: node --import @swc-node/register/esm-register bench/communities.ts [--members N] [--big]
 */
import { loadavg } from 'node:os';
import { normalizedMutualInformation } from '../devnet/index.js';
import { CentralityService } from '../src/analytics/centrality-service.js';
import { CommunityInsights } from '../src/analytics/community-insights.js';
import type { FollowGraph } from '../src/analytics/follow-graph.js';
import { GdsEngine } from '../src/analytics/gds-engine.js';
import { GraphologyEngine } from '../src/analytics/graphology-engine.js';
import { modularity } from '../src/analytics/graph-structure.js';
import { canonicalCommunities, louvainCommunities } from '../src/analytics/louvain.js';
import type { GraphScope } from '../src/core/scope.js';
import { seedCommunity } from '../test/support/e2e-community.js';
import { openTestDatabase, resetGraph } from '../test/support/neo4j.js';
import { generateCommunity } from '../devnet/community.js';
import { ensureBigGraph } from './big-graph.js';
import { LatencyHistogram } from './load-generator.js';
import { round, RssSampler, writeResult } from './support.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const big = process.argv.includes('--big');
const members = Number(arg('--members') ?? 1500);
const GROUPS = 6;
const HASHTAG = 'databs';
const log = (line: string) => process.stderr.write(`[communities] ${line}\n`);
const loadStart = loadavg();

const db = openTestDatabase();
let truth = new Map<string, number>();
let plantedBridges = new Set<string>();
let memberDids: string[];
let followsAmongMembers: number;
if (big) {
  await ensureBigGraph(db, {}, log);
  memberDids = (await db.read<{ did: string }>(`MATCH (a:Actor)-[:POSTED_WITH]->(:Hashtag {name: $h}) RETURN a.did AS did ORDER BY did`, { h: HASHTAG })).map((r) => r.did);
  followsAmongMembers = -1;
} else {
  await resetGraph(db);
  const options = { members, seed: 1, hashtag: HASHTAG, groups: GROUPS };
  const seeded = await seedCommunity(db, options);
  const community = generateCommunity(options);
  truth = new Map(community.actors.slice(0, community.memberCount).map((a, i) => [a.did, community.planted!.groupOf[i]!] as [string, number]));
  plantedBridges = new Set([...community.planted!.bridges].map((i) => community.actors[i]!.did));
  memberDids = seeded.members;
  followsAmongMembers = seeded.edges;
  log(`seeded ${seeded.members.length} members / ${seeded.edges} follows among them`);
}
const rss = new RssSampler(100);
const scope: GraphScope = { hashtag: HASHTAG, scope: 'COMMUNITY' };

async function timed<T>(work: () => Promise<T> | T): Promise<{ value: T; ms: number }> {
  const t = performance.now();
  const value = await work();
  return { value, ms: round(performance.now() - t, 1) };
}

const loaded = await timed(() => new GraphologyEngine(db).load(scope));
const graph: FollowGraph = loaded.value;
if (followsAmongMembers < 0) followsAmongMembers = graph.size;

function disconnected(assignment: ReadonlyMap<string, number>): number {
  const byCommunity = new Map<number, string[]>();
  for (const [did, c] of assignment) byCommunity.set(c, [...(byCommunity.get(c) ?? []), did]);
  let count = 0;
  for (const nodes of byCommunity.values()) {
    const inside = new Set(nodes);
    const seen = new Set([nodes[0]!]);
    const stack = [nodes[0]!];
    while (stack.length) {
      const n = stack.pop()!;
      graph.forEachNeighbor(n, (m) => {
        if (inside.has(m) && !seen.has(m)) {
          seen.add(m);
          stack.push(m);
        }
      });
    }
    if (seen.size < nodes.length) count++;
  }
  return count;
}

function describe(assignment: ReadonlyMap<string, number>, ms: number) {
  return {
    ms,
    communities: new Set(assignment.values()).size,
    modularity: round(modularity(graph, assignment), 4),
    nmiVsPlanted: big ? null : round(normalizedMutualInformation(truth, assignment), 4),
    disconnectedCommunities: disconnected(assignment),
  };
}

const gds = new GdsEngine(db);
const louvainMemory = await timed(() => canonicalCommunities(louvainCommunities(graph)));
const louvainGds = await timed(async () => canonicalCommunities(await gds.communities(scope, 'LOUVAIN')));
const leidenGds = await timed(async () => canonicalCommunities(await gds.communities(scope, 'LEIDEN')));
const algorithms = {
  louvainInMemory: describe(louvainMemory.value, louvainMemory.ms),
  louvainGds: describe(louvainGds.value, louvainGds.ms),
  leidenGds: describe(leidenGds.value, leidenGds.ms),
  ...(big ? {} : { plantedGroups: describe(truth, 0) }),
};
log(JSON.stringify(algorithms));

const centrality = new CentralityService(db);
const insights = new CommunityInsights(db, centrality);
const reportCold = await timed(() => insights.report(HASHTAG));
const reportWarm = await timed(() => insights.report(HASHTAG));
const leidenReport = await timed(() => insights.report(HASHTAG, 'LEIDEN'));
const bridgesCold = await timed(() => insights.bridges(HASHTAG, undefined, 20));
const suggestions = new LatencyHistogram();
const sample = memberDids.slice(0, 200);
await insights.suggestFollows(sample[0]!, HASHTAG, 10); // loads the scope graph once
for (const did of sample) {
  const t = performance.now();
  await insights.suggestFollows(did, HASHTAG, 10);
  suggestions.recordMs(performance.now() - t);
}
const report = reportCold.value!;
const result = {
  settings: {
    graph: big ? 'bench big graph #databs (preferential attachment, no planted groups)' : 'planted-group devnet community',
    members: memberDids.length,
    followsAmongMembers,
    plantedGroups: big ? 0 : GROUPS,
    plantedBridges: plantedBridges.size,
    seed: big ? 7 : 1,
    loadavgAtStart: loadStart.map((x) => round(x, 2)),
  },
  scopeLoadFromNeo4jMs: loaded.ms,
  algorithms,
  insights: {
    reportColdMs: reportCold.ms,
    reportWarmMs: reportWarm.ms,
    leidenReportColdMs: leidenReport.ms,
    modularity: round(report.modularity, 4),
    labels: report.communities.map((c) => ({ id: c.id, size: c.size, label: c.label })),
    maxCore: report.structure.maxCore,
    bridgesMs: bridgesCold.ms,
    plantedBridgesInTop20: big ? null : bridgesCold.value.filter((b) => plantedBridges.has(b.did)).length,
    suggestFollowsMs: suggestions.summary(),
  },
  peakRssMb: rss.stop(),
  notes: [
    'In memory: what a server answers from its read model (scope under 250k follows). GDS: projection + algorithm + stream, one thread, fixed seed.',
    'NMI against the planted groups (bridges counted in their home group); disconnectedCommunities counts communities whose members are not connected by follows among themselves.',
  ],
};
writeResult(big ? 'communities-big' : 'communities', result);
await db.close();
