/**
 * `exportCsv` through the real ExportService, then the file downloaded from the URL the mutation
 * returned: its rows equal the model's edges for the scope.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExportService } from '../../src/export/export-service.js';
import type { GraphDatabase } from '../../src/graph/database.js';
import { graphql } from '../support/graphql-client.js';
import { parseCsv } from '../support/graphql-csv.js';
import { buildApiFixture } from '../support/graphql-fixture.js';
import { GraphModel } from '../support/graphql-model.js';
import { startTestServer, type TestServer } from '../support/graphql-server.js';
import { loadGraph, type GraphFixture } from '../support/load-graph.js';
import { openTestDatabase, resetGraph } from '../support/neo4j.js';

let db: GraphDatabase;
let server: TestServer;
let fixture: GraphFixture;
let model: GraphModel;
let dir: string;

beforeAll(async () => {
  db = openTestDatabase();
  await resetGraph(db);
  fixture = buildApiFixture();
  await loadGraph(db, fixture);
  model = new GraphModel(fixture);
  dir = await mkdtemp(join(tmpdir(), 'gql-exports-'));
  server = await startTestServer({ db, exports: new ExportService(db, dir) });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const EXPORT = `mutation($input: ExportInput!) { exportCsv(input: $input) { id url rows bytes format fileName contentType } }`;

function expectedEdges(tag: string, scope: 'COMMUNITY' | 'ALL'): string[] {
  const members = model.members(tag);
  return fixture.follows.filter(([s, t]) => members.has(s) && (scope === 'ALL' || members.has(t))).map(([s, t]) => `${s} ${t}`).sort();
}

describe('exportCsv', () => {
  it.each([['databs', 'COMMUNITY'], ['databs', 'ALL'], ['rustlang', 'COMMUNITY']] as const)(
    'CSV of #%s (%s): one row per edge, downloadable at the returned URL',
    async (tag, scope) => {
      const r = await graphql(server.url, EXPORT, { input: { hashtag: `#${tag}`, scope, extraColumns: ['DIDS', 'DIDS'] } });
      expect(r.errors).toBeUndefined();
      const result = r.data!.exportCsv;
      expect(result.url).toBe(`${server.url}/exports/${result.id}`);
      expect(result.format).toBe('CSV');

      const download = await fetch(result.url);
      expect(download.status).toBe(200);
      expect(download.headers.get('content-type')).toBe(result.contentType);
      expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${result.fileName}"; filename*=UTF-8''${encodeURIComponent(result.fileName)}`);
      const body = Buffer.from(await download.arrayBuffer());
      expect(body.length).toBe(result.bytes);
      expect(Number(download.headers.get('content-length'))).toBe(result.bytes);

      const [header, ...rows] = parseCsv(body.toString('utf8'));
      expect(header).toEqual([
        'source', 'target', 'source_avatar_url', 'source_posts_count', 'source_followers_count', 'source_follows_count', 'source_did', 'target_did',
      ]);
      const expected = expectedEdges(tag, scope);
      expect(rows.length).toBe(result.rows);
      expect(rows.map((row) => `${row[6]} ${row[7]}`).sort()).toEqual(expected);
      for (const row of rows) {
        const source = model.actors.get(row[6]!)!;
        expect(row.slice(0, 6)).toEqual([
          source.handle,
          model.actors.get(row[7]!)!.handle,
          source.avatar ?? '',
          String(source.postsCount ?? ''),
          String(source.followersCount ?? ''),
          String(source.followsCount ?? ''),
        ]);
      }
    },
  );

  it.each(['GEXF', 'GRAPHML'] as const)('%s downloads as XML with every edge', async (format) => {
    const r = await graphql(server.url, EXPORT, { input: { hashtag: 'databs', format } });
    expect(r.errors).toBeUndefined();
    const { url, rows, format: got, contentType } = r.data!.exportCsv;
    expect(got).toBe(format);
    expect(rows).toBe(expectedEdges('databs', 'COMMUNITY').length);
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(contentType);
    const xml = await download.text();
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(xml.match(/<edge\b/g)?.length).toBe(rows);
  });

  it('NOT_FOUND for a hashtag never ingested and for an unknown export id; BAD_USER_INPUT for a bad hashtag', async () => {
    const none = await graphql(server.url, EXPORT, { input: { hashtag: 'neveringested' } });
    expect(none.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    const bad = await graphql(server.url, EXPORT, { input: { hashtag: '../../etc' } });
    expect(bad.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const unknown = await fetch(`${server.url}/exports/00000000-0000-0000-0000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
    for (const path of ['/exports/..%2F..%2Fpackage.json', '/exports/%E0%A4%A', '/exports/a%00b']) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});
