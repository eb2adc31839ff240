/** Turns bench/results/*.json into the README's benchmark table (between the BENCH markers). */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { ROOT } from './support.js';

type Result = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function rows(name: string, r: Result): string[] {
  switch (r.benchmark) {
    case 'ingest': {
      const c = r.crawler;
      const out = [
        `| ingest ${r.settings.members} members / ${r.settings.follows} follows (${r.settings.rateLimitPerSecond} req/s, ${r.settings.latencyMs} ms) | requests / R_min | ${c.requestsPerRMin} (${c.requests} / ${r.rMin}) | ≤ 1.02 |`,
        `| 〃 | wall time / floor (R_min / rate) | ${c.secondsPerFloor} (${c.seconds} s / ${r.floorSeconds} s) | ≤ 1.1 |`,
        `| 〃 | crawler peak RSS | ${c.peakRssMb} MB | flat |`,
      ];
      if (r.baseline) out.push(`| 〃 | speed-up over the original script's method | ${r.speedUp}× (${r.baseline.seconds} s, ${r.baseline.requests} requests = ${r.baseline.requestsPerRMin} × R_min) | |`);
      return out;
    }
    case 'neo4j-writes': {
      const e = r.edgesPerSecond;
      return [
        `| Neo4j FOLLOWS merge, ${r.settings.edges} edges | edges/s, batch ${r.settings.chosenBatch} | ${e[`batch_${r.settings.chosenBatch}`]} (1,000: ${e.batch_1000}; 20,000: ${e.batch_20000}; re-merge: ${e.remerge_batch_10000}) | ≥ 100,000 |`,
        `| 〃 | one edge per transaction | ${e.naive_1_edge_per_tx} edges/s (batching: ${r.speedUpOverNaive}×) | |`,
      ];
    }
    case 'view-load': {
      const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
      const mb = (b: number | null) => (b === null ? '?' : `${(b / 1e6).toFixed(2)} MB`);
      return [
        `| graph view, ${r.graph.members} members / ${r.graph.followsAmongMembers} follows, headless Chromium with software WebGL (load average ${la(r.loadAverage.before)} → ${la(r.loadAverage.after)}) | navigation → layout-ready, first load: p50 / max of ${r.firstLoadMs.runs.length} | ${r.firstLoadMs.p50} / ${r.firstLoadMs.max} ms (layout ${r.layoutSources.first.join(', ')}) | ≤ 3000 ms: ${r.firstLoadMs.p50 <= 3000 ? 'met' : '**not met**'} |`,
        `| 〃 | reload of an unchanged graph: p50 / max | ${r.reloadMs.p50} / ${r.reloadMs.max} ms (layout ${r.layoutSources.reload.join(', ')}) | ≤ 1000 ms: ${r.reloadMs.p50 <= 1000 ? 'met' : '**not met**'} |`,
        `| 〃 | reload after one follow changed | ${r.changedGraphReloadMs ?? '?'} ms (layout ${r.layoutSources.changed ?? '?'}) | |`,
        `| 〃 | bytes on the wire: whole first load; its communityGraph | ${mb(r.bytesOnWire.firstLoad)}; ${mb(r.bytesOnWire.firstLoadGraphql)} | ≤ 1.5 MB |`,
      ];
    }
    case 'read-latency': {
      const s = r.settings;
      const la = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
      const out = [
        `| reads, ${s.graph.actors} actors / ${s.graph.follows} follows, open loop at ${s.offeredRate} req/s for ${s.seconds} s | GraphQL p50 / p99 / max (1 client p50; raw Cypher p50 / p99 [its rate]; in memory p50) | load average ${la(s.machine.loadAverageStart)} → ${la(s.machine.loadAverageEnd)} on ${s.machine.cpus} CPUs | |`,
      ];
      if (r.httpFloor) {
        const f = r.httpFloor;
        out.push(`| 〃 HTTP floor | a bare node:http server in its own process, same client and rate: p50 / p99 / max (1 client p50) | ${f.openLoop.p50Ms} / ${f.openLoop.p99Ms} / ${f.openLoop.maxMs} ms (${f.oneClient.p50Ms}) | the machine's round trip |`);
      }
      for (const [read, x] of Object.entries(r.reads as Record<string, Result>)) {
        const g = x.goal;
        const goal = [
          g.p50Ms !== undefined ? `p50 ≤ ${g.p50Ms} ms` : '',
          g.p99Ms !== undefined ? `p99 ≤ ${g.p99Ms} ms` : '',
          g.rawRatio !== undefined ? `≤ ${g.rawRatio} × Cypher` : '',
          g.wireBytes !== undefined ? `≤ ${g.wireBytes / 1e6} MB` : '',
        ].filter(Boolean);
        const rawRate = x.rawCypher.offeredRate === x.graphql.offeredRate ? '' : ` [${x.rawCypher.offeredRate} req/s]`;
        const rate = x.graphql.offeredRate === s.offeredRate ? '' : ` at ${x.graphql.offeredRate} req/s`;
        const wire = g.wireBytes !== undefined ? `, ${(x.graphql.wire.maxBytes / 1e6).toFixed(2)} MB on the wire` : '';
        const bad = x.checks.noErrorsOrWrongAnswers.value;
        out.push(
          `| 〃 ${read}${rate} | ${x.description} | ${x.graphql.p50Ms} / ${x.graphql.p99Ms} / ${x.graphql.maxMs} ms${wire} (${x.graphqlOneClient.p50Ms}; ${x.rawCypher.p50Ms} / ${x.rawCypher.p99Ms}${rawRate}; ${x.inMemory.p50Ms} ms)${bad ? `; ${bad} errors, timeouts or wrong answers` : ''} | ${goal.join(', ')}: ${x.met ? 'met' : '**not met**'} |`,
        );
      }
      out.push(`| 〃 first centrality(PAGERANK) / communities of #databs (${r.settings.graph.members} members) | cold, through GraphQL | ${r.centralityColdMs} / ${r.communitiesColdMs} ms | |`);
      if (r.subHashtagCold) {
        const c = r.subHashtagCold;
        out.push(`| 〃 first centrality(PAGERANK) / communities of #${c.hashtag} (${c.members} members) | cold, through GraphQL (computed on the read model's copy) | ${c.centralityMs} / ${c.communitiesMs} ms | PageRank ≤ 1000 ms: ${c.centralityMs <= 1000 ? 'met' : '**not met**'} |`);
      }
      return out;
    }
    default:
      return Array.isArray(r.readmeRows) ? (r.readmeRows as string[]) : [`| ${name} | see bench/results/${name}.json | | |`];
  }
}

export function updateReadmeTable(): void {
  const dir = `${ROOT}bench/results`;
  // *-partial.json: a subset measured at other settings, kept for reference, not tabled.
  const files = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('-partial.json')).sort();
  const lines = ['| benchmark | measure | result | goal |', '|---|---|---|---|'];
  for (const f of files) lines.push(...rows(f.replace(/\.json$/, ''), JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'))));
  const table = `<!-- BENCH:START (generated by npm run bench from bench/results) -->\n${lines.join('\n')}\n<!-- BENCH:END -->`;
  const readmePath = `${ROOT}README.md`;
  const readme = readFileSync(readmePath, 'utf8');
  const next = readme.includes('<!-- BENCH:START')
    ? readme.replace(/<!-- BENCH:START[\s\S]*?<!-- BENCH:END -->/, table)
    : readme.replace('BENCH_TABLE', table);
  writeFileSync(readmePath, next);
}

if (process.argv[1]?.endsWith('readme-table.ts')) updateReadmeTable();
