/**
 * Exports of the big graph through ExportService: #databs ALL scope = every FOLLOWS of the 5,000
 * members (1,000,000 rows) as CSV and as GEXF (15,000 nodes + 1,000,000 edges). Rows per second, file
 * size, and this process's peak RSS while exporting (sampled every 50 ms) against its RSS before:
 * CSV should stay flat (streamed), GEXF grows only by the DID → position map of the nodes.
 * Usage: node --import @swc-node/register/esm-register bench/export.ts [--quick]
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config/config.js';
import type { ExportFormat } from '../src/core/export-format.js';
import type { Scope } from '../src/core/scope.js';
import { ExportService } from '../src/export/export-service.js';
import { GraphDatabase } from '../src/graph/database.js';
import { BIG_GRAPH_HASHTAG, ensureBigGraph } from './big-graph.js';
import { round, writeResult } from './support.js';

const quick = process.argv.includes('--quick');
const log = (line: string) => process.stderr.write(`[export] ${line}\n`);
const loadStart = loadavg();
const db = GraphDatabase.fromConfig(loadConfig({ ...process.env, LOG_LEVEL: 'warn' }));
const graph = await ensureBigGraph(db, {}, log);
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Peak RSS and V8 heap in use, sampled every 50 ms. */
class MemorySampler {
  peakRss = 0;
  peakHeap = 0;
  private readonly timer = setInterval(() => this.sample(), 50);
  constructor() {
    this.sample();
  }
  private sample(): void {
    const m = process.memoryUsage();
    this.peakRss = Math.max(this.peakRss, m.rss);
    this.peakHeap = Math.max(this.peakHeap, m.heapUsed);
  }
  stop(): { peakRssMb: number; peakHeapUsedMb: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMb: Math.round(this.peakRss / 1048576), peakHeapUsedMb: Math.round(this.peakHeap / 1048576) };
  }
}
const dir = await mkdtemp(join(tmpdir(), 'bsky-graph-export-bench-'));
const exports = new ExportService(db, dir);

/** Counts a byte in a file without reading it into memory (CSV rows = newlines - header). */
async function countByte(path: string, byte: number): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(byte); i !== -1; i = chunk.indexOf(byte, i + 1)) n++;
  }
  return n;
}

async function tail(path: string, bytes: number): Promise<string> {
  const size = (await stat(path)).size;
  let text = '';
  for await (const chunk of createReadStream(path, { start: Math.max(0, size - bytes) }) as AsyncIterable<Buffer>) text += chunk.toString('utf8');
  return text;
}

async function measure(format: ExportFormat, scope: Scope) {
  gc();
  const before = process.memoryUsage();
  const rssBeforeMb = Math.round(before.rss / 1048576);
  const heapUsedBeforeMb = Math.round(before.heapUsed / 1048576);
  const sampler = new MemorySampler();
  const t = performance.now();
  const result = await exports.create({ hashtag: BIG_GRAPH_HASHTAG, scope, format });
  const seconds = (performance.now() - t) / 1000;
  const { peakRssMb, peakHeapUsedMb } = sampler.stop();
  const path = join(dir, `${result.id}.${format === 'CSV' ? 'csv' : format.toLowerCase()}`);
  const bytesOnDisk = (await stat(path).catch(() => null))?.size ?? result.bytes;
  // Check the file holds what was claimed: CSV lines (no field of the default columns holds a newline).
  const check = format === 'CSV' ? { newlines: await countByte(path, 0x0a), expected: result.rows + 1 } : { endsWith: (await tail(path, 64)).trim().slice(-7) };
  const out = {
    format,
    scope,
    rows: result.rows,
    seconds: round(seconds, 2),
    rowsPerSecond: Math.round(result.rows / seconds),
    bytes: result.bytes,
    megabytes: round(result.bytes / 1024 / 1024, 1),
    bytesOnDisk,
    rssBeforeMb,
    peakRssMb,
    rssGrowthMb: peakRssMb - rssBeforeMb,
    heapUsedBeforeMb,
    peakHeapUsedMb,
    check,
  };
  log(`${format} ${scope}: ${out.rows} rows in ${out.seconds} s (${out.rowsPerSecond}/s), ${out.megabytes} MB, RSS ${rssBeforeMb} → peak ${peakRssMb} MB, heap ${heapUsedBeforeMb} → peak ${peakHeapUsedMb} MB`);
  await rm(path, { force: true });
  return out;
}

const runs = [];
try {
  // A small one first, so the figures do not carry the first query's planning and JIT.
  await exports.create({ hashtag: 'dataviz', scope: 'COMMUNITY', format: 'CSV' });
  runs.push(await measure('CSV', 'ALL'));
  runs.push(await measure('GEXF', 'ALL'));
  // Half the rows: if memory is constant, its peak is the same.
  runs.push(await measure('CSV', 'COMMUNITY'));
} finally {
  await rm(dir, { recursive: true, force: true });
  await db.close();
}
const loadEnd = loadavg();

const problems = runs.filter((r) => ('expected' in r.check ? r.check.newlines !== r.check.expected : r.check.endsWith !== '</gexf>'));
if (problems.length) throw new Error(`export files do not hold what was reported: ${JSON.stringify(problems)}`);

const readmeRows = runs.map(
  (r) =>
    `| export ${r.format}, #${BIG_GRAPH_HASHTAG} ${r.scope} (${r.rows.toLocaleString('en')} rows) | rows/s; file size; peak RSS (before) | ${r.rowsPerSecond.toLocaleString('en')} rows/s (${r.seconds} s); ${r.megabytes} MB; ${r.peakRssMb} MB (${r.rssBeforeMb} MB) | ${r.format === 'CSV' ? 'RSS flat' : ''} |`,
);

writeResult('export', {
  benchmark: 'export',
  settings: {
    quick,
    graph: { actors: graph.actors, members: graph.members, follows: graph.follows },
    memorySampling: 'process.memoryUsage() (rss, heapUsed) every 50 ms during the export, in this (the exporting) process, after a full GC',
    machine: { cpus: 2, loadAverageStart: loadStart.map((x) => round(x, 2)), loadAverageEnd: loadEnd.map((x) => round(x, 2)) },
  },
  runs,
  readmeRows,
});
