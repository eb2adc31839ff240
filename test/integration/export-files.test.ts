/**
 * Exports against a real Neo4j: every file is read back with strict parsers (RFC 4180, XML 1.0) and
 * compared with the edges and actors computed independently from the fixture.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeScores } from '../../src/analytics/centrality-service.js';
import type { ExportFormat } from '../../src/core/export-format.js';
import { ExportService } from '../../src/export/export-service.js';
import { GraphDatabase, type Params } from '../../src/graph/database.js';
import { bumpGraphVersion } from '../../src/graph/graph-version.js';
import { openTestDatabase, resetGraph, testDatabaseUri } from '../support/neo4j.js';
import { buildFixture, fixtureScope, loadFixture, type AnalyticsFixture, type FixtureActor } from '../support/analytics-fixture.js';
import { parseCsv } from '../support/analytics-csv.js';
import { readXmlFile } from '../support/analytics-xml.js';

let db: GraphDatabase;
let fixture: AnalyticsFixture;
let directory: string;
let exports: ExportService;

const HEADER = ['source', 'target', 'source_avatar_url', 'source_posts_count', 'source_followers_count', 'source_follows_count'];

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildFixture();
  await loadFixture(db, fixture);
  directory = mkdtempSync(join(tmpdir(), 'exports-'));
  exports = new ExportService(db, directory);
  // So that GEXF/GraphML carry pagerank and community (the explicit step; queries write nothing).
  await writeScores(db, 'databs');
}, 300_000);

afterAll(async () => {
  await db?.close();
});

/** What a researcher's spreadsheet should show: the cells as text, formulas neutralised. */
function cell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function expectedRows(scope: 'COMMUNITY' | 'ALL', extra: { dids?: boolean; target?: boolean } = {}): string[][] {
  const actor = (did: string): FixtureActor => fixture.actors.get(did)!;
  const rows = fixtureScope(fixture, 'databs', scope).edges.map(([s, t]) => {
    const a = actor(s);
    const b = actor(t);
    const row = [a.handle, b.handle, cell(a.avatar), cell(a.postsCount), cell(a.followersCount), cell(a.followsCount)];
    if (extra.dids) row.push(s, t);
    if (extra.target) row.push(cell(b.displayName), cell(b.avatar), cell(b.postsCount), cell(b.followersCount), cell(b.followsCount));
    return { row, key: [a.handle, s, b.handle, t] };
  });
  const cmp = (x: string[], y: string[]) => {
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  };
  return rows.sort((x, y) => cmp(x.key, y.key)).map((r) => r.row);
}

describe('CSV', () => {
  it.each(['COMMUNITY', 'ALL'] as const)('%s: one row per follow of a member, sorted by source then target handle', async (scope) => {
    const result = await exports.create({ hashtag: '#DataBS', scope, format: 'CSV' });
    const text = readFileSync(join(directory, `${result.id}.csv`), 'utf8');
    const [header, ...rows] = parseCsv(text);
    const expected = expectedRows(scope);
    expect(header).toEqual(HEADER);
    expect(rows).toEqual(expected);
    expect(result.rows).toBe(expected.length);
    expect(result.bytes).toBe(Buffer.byteLength(text));
    expect(result.contentType).toBe('text/csv; charset=utf-8');
    expect(result.fileName).toBe(`databs-${scope.toLowerCase()}-follows.csv`);
    // Some of #other's members follow into #databs: none of those edges may appear.
    const databs = fixture.members.get('databs')!;
    const otherOnly = fixture.follows.filter(([s, t]) => !databs.has(s) && databs.has(t));
    expect(otherOnly.length).toBeGreaterThan(0);
  });

  it('adds DIDs and target profiles on request, hostile text neutralised and quoted', async () => {
    const result = await exports.create({ hashtag: 'databs', scope: 'ALL', format: 'CSV', extraColumns: ['target_profile', 'dids'] });
    const text = readFileSync(join(directory, `${result.id}.csv`), 'utf8');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual([...HEADER, 'source_did', 'target_did', 'target_display_name', 'target_avatar_url', 'target_posts_count', 'target_followers_count', 'target_follows_count']);
    expect(rows).toEqual(expectedRows('ALL', { dids: true, target: true }));
    const names = new Set(rows.map((r) => r[8]));
    expect(names).toContain(`'=HYPERLINK("http://evil","x")`);
    expect(names).toContain(`'-2+3`);
    expect(names).toContain('Line\r\nbreak');
    expect(text).toContain('"\'=HYPERLINK(""http://evil"",""x"")"');
    // No cell a spreadsheet would run as a formula.
    expect(rows.flat().filter((c) => /^[=+\-@\t\r]/.test(c))).toEqual([]);
  });
});

describe.each(['GEXF', 'GRAPHML'] as const)('%s', (format: ExportFormat) => {
  it.each(['COMMUNITY', 'ALL'] as const)('%s: well-formed, with the scope’s nodes and edges', async (scope) => {
    const result = await exports.create({ hashtag: 'databs', scope, format });
    const path = join(directory, `${result.id}.${format === 'GEXF' ? 'gexf' : 'graphml'}`);
    const { nodes, edges } = fixtureScope(fixture, 'databs', scope);
    const seenNodes = new Map<string, Record<string, string>>();
    const idToDid = new Map<string, string>();
    const seenEdges: string[] = [];
    const gexfTitles = new Map<string, string>();
    // A node's values (attvalue / data) close before the node itself: gather them, attach on close.
    let pending: Record<string, string> = {};
    const summary = await readXmlFile(path, (e) => {
      if (e.name === 'attribute') gexfTitles.set(e.attributes.id!, e.attributes.title!);
      else if (e.name === 'attvalue') pending[gexfTitles.get(e.attributes.for!)!] = e.attributes.value!;
      else if (e.name === 'data' && e.path.includes('node')) pending[e.attributes.key!] = e.text;
      else if (e.name === 'node') {
        idToDid.set(e.attributes.id!, pending.did!);
        seenNodes.set(pending.did!, pending);
        if (format === 'GEXF') expect(e.attributes.id).toBe(pending.did);
        pending = {};
      } else if (e.name === 'edge') seenEdges.push(`${e.attributes.source} ${e.attributes.target}`);
    });
    expect(summary.root).toBe(format === 'GEXF' ? 'gexf' : 'graphml');
    expect(summary.counts.get('node')).toBe(nodes.size);
    expect(summary.counts.get('edge')).toBe(edges.length);
    expect(result.rows).toBe(edges.length);
    expect(result.bytes).toBe(statSync(path).size);
    expect(new Set(seenNodes.keys())).toEqual(nodes);
    const asDids = seenEdges.map((pair) => pair.split(' ').map((id) => idToDid.get(id)!).join(' ')).sort();
    expect(asDids).toEqual(edges.map(([s, t]) => `${s} ${t}`).sort());

    const databs = fixture.members.get('databs')!;
    for (const [did, values] of seenNodes) {
      const a = fixture.actors.get(did)!;
      expect(values.handle).toBe(a.handle);
      expect(values.member).toBe(String(databs.has(did)));
      // eslint-disable-next-line no-control-regex -- the export strips exactly these control characters; the test mirrors it
      if (a.displayName !== null) expect(values.displayName).toBe(a.displayName.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ''));
      if (databs.has(did)) {
        expect(Number(values.pagerank)).toBeGreaterThan(0);
        expect(Number.isInteger(Number(values.community))).toBe(true);
      }
    }
  });
});

describe('open', () => {
  it('streams a finished export by id, also from a new service (after a restart)', async () => {
    const made = await exports.create({ hashtag: 'databs', scope: 'COMMUNITY', format: 'GRAPHML' });
    const reopened = await new ExportService(db, directory).open(made.id);
    expect(reopened).not.toBeNull();
    const chunks: Buffer[] = [];
    for await (const c of reopened!.stream) chunks.push(Buffer.from(c as Buffer));
    const body = Buffer.concat(chunks);
    expect(body.length).toBe(made.bytes);
    expect(reopened!.bytes).toBe(made.bytes);
    expect(reopened!.fileName).toBe(made.fileName);
    expect(reopened!.contentType).toBe('application/graphml+xml; charset=utf-8');
    expect(body.equals(readFileSync(join(directory, `${made.id}.graphml`)))).toBe(true);
  });

  it('returns null for unknown, malformed and path-traversing ids', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', '../../etc/passwd', '..', '', 'A1B2C3D4-0000-4000-8000-000000000000', `${'a'.repeat(8)}-aaaa-aaaa-aaaa-${'a'.repeat(12)}/../x`]) {
      expect(await exports.open(id)).toBeNull();
    }
  });

  it('leaves no partial files behind', () => {
    expect(readdirSync(directory).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});

describe('an ingest finishing during an export', () => {
  /** The real database, with an "ingest" (a graph version bump) landing as each of the first `bumps` streams starts. */
  class ConcurrentIngest extends GraphDatabase {
    constructor(private bumps: number) {
      super({ uri: testDatabaseUri(), user: process.env.NEO4J_USER ?? 'neo4j', password: process.env.NEO4J_PASSWORD || undefined });
    }
    override async *stream<T extends Record<string, unknown>>(cypher: string, params?: Params, timeoutMs?: number): AsyncGenerator<T> {
      if (this.bumps > 0) {
        this.bumps--;
        await this.writeTx((tx) => bumpGraphVersion(tx));
      }
      yield* super.stream<T>(cypher, params, timeoutMs);
    }
  }

  it('makes the export start again, so the file matches one graph version', async () => {
    const racing = new ConcurrentIngest(1);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'exports-race-'));
      const result = await new ExportService(racing, dir).create({ hashtag: 'databs', scope: 'COMMUNITY', format: 'CSV' });
      expect(result.rows).toBe(fixtureScope(fixture, 'databs', 'COMMUNITY').edges.length);
      // One published export, no leftovers from the discarded attempt.
      expect(readdirSync(dir).sort()).toEqual([`${result.id}.csv`, `${result.id}.json`]);
    } finally {
      await racing.close();
    }
  });

  it('gives up with CONFLICT when the graph never holds still, leaving nothing behind', async () => {
    const racing = new ConcurrentIngest(Number.POSITIVE_INFINITY);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'exports-race-'));
      await expect(new ExportService(racing, dir).create({ hashtag: 'databs', scope: 'ALL', format: 'GEXF' })).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await racing.close();
    }
  });
});

describe('bad requests', () => {
  it('are refused with typed errors', async () => {
    await expect(exports.create({ hashtag: 'nosuchtag', scope: 'ALL', format: 'CSV' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(exports.create({ hashtag: 'databs', scope: 'ALL', format: 'PDF' as ExportFormat })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(exports.create({ hashtag: 'databs', scope: 'SOME' as 'ALL', format: 'CSV' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(exports.create({ hashtag: 'databs', scope: 'ALL', format: 'CSV', extraColumns: ['passwords' as 'dids'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(exports.create({ hashtag: '#', scope: 'ALL', format: 'CSV' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
