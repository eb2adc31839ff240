/**
 * `npm run bench`: every benchmark in turn, each in its own process (so one's memory is not the
 * next one's), then the Markdown table in the README between the BENCH markers.
 * The Neo4j at NEO4J_URI is wiped by some of them: point it at a scratch server.
 * `npm run bench -- --quick` runs smaller sizes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT } from './support.js';
import { updateReadmeTable } from './readme-table.js';

const quick = process.argv.includes('--quick');
const runs: Array<[string, string[]]> = quick
  ? [
      ['ingest.ts', ['300', '100']],
      ['neo4j-writes.ts', ['50000']],
    ]
  : [
      ['ingest.ts', ['1000', '100']],
      ['ingest.ts', ['100', '100', '--no-baseline']],
      ['ingest.ts', ['5000', '100', '--no-baseline']],
      ['neo4j-writes.ts', ['200000']],
    ];
for (const extra of ['api-load.ts', 'read-latency.ts', 'view-load.ts', 'communities.ts', 'centrality.ts', 'export.ts']) {
  if (existsSync(`${ROOT}bench/${extra}`)) runs.push([extra, quick ? ['--quick'] : []]);
}

for (const [script, args] of runs) {
  process.stderr.write(`\n== bench/${script} ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, ['--import', '@swc-node/register/esm-register', `bench/${script}`, ...args], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write(`bench/${script} failed (exit ${result.status})\n`);
    process.exitCode = 1;
  }
}
updateReadmeTable();
