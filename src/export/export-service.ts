/**
 * Exports a hashtag's follow graph as CSV, GEXF or GraphML into a directory, streaming from Neo4j to
 * disk in constant memory (CSV) or memory proportional to the node count (GEXF/GraphML keep a DID →
 * position map so every edge refers to a node that was written). `open` serves a finished export by
 * id, also after a restart (metadata lives in a sidecar file).
 *
 * Consistency: each pass is one read transaction. The graph version is read before and after; if an
 * ingest finished in between, the export is thrown away and redone (up to MAX_ATTEMPTS).
 */
import { createReadStream } from 'node:fs';
import type { GraphDatabase } from '../graph/database.js';
import { readGraphVersion } from '../graph/graph-version.js';
import { hashtagExists, streamExportEdges, streamExportNodes, streamFollowRows } from '../graph/export-queries.js';
import { EXPORT_FORMATS, type ExportFormat } from '../core/export-format.js';
import { normaliseHashtag } from '../core/hashtag.js';
import { SCOPES, type Scope } from '../core/scope.js';
import { columnsFor, EXTRA_COLUMN_SETS, type ExtraColumnSet } from './csv-columns.js';
import { csvRow } from './csv.js';
import { ExportConflictError, ExportInputError, ExportNotFoundError } from './errors.js';
import { ExportStore, FORMAT_FILES, type ExportMetadata } from './export-store.js';
import { writeTextFile } from './file-sink.js';
import { GEXF, GRAPHML, type GraphDocument } from './graph-documents.js';

export interface ExportRequest {
  hashtag: string;
  scope: Scope;
  format: ExportFormat;
  extraColumns?: ('dids' | 'target_profile')[];
}

export interface ExportResult {
  id: string;
  rows: number;
  bytes: number;
  fileName: string;
  contentType: string;
}

const MAX_ATTEMPTS = 3;

interface ValidRequest {
  hashtag: string;
  scope: Scope;
  format: ExportFormat;
  extraColumns: ExtraColumnSet[];
}

export class ExportService {
  private readonly store: ExportStore;

  constructor(
    private readonly db: GraphDatabase,
    directory: string,
  ) {
    this.store = new ExportStore(directory);
  }

  async create(req: ExportRequest): Promise<ExportResult> {
    const request = validate(req);
    if (!(await hashtagExists(this.db, request.hashtag))) {
      throw new ExportNotFoundError(`nothing has been ingested for #${request.hashtag}`);
    }
    await this.store.prepare();
    for (let attempt = 1; ; attempt++) {
      const id = this.store.newId();
      const before = await readGraphVersion(this.db);
      let written: { rows: number; nodes?: number; bytes: number };
      try {
        written = await this.write(id, request);
      } catch (err) {
        await this.store.discard(id, request.format);
        throw err;
      }
      if ((await readGraphVersion(this.db)) !== before) {
        await this.store.discard(id, request.format);
        if (attempt >= MAX_ATTEMPTS) throw new ExportConflictError(`the graph changed during ${MAX_ATTEMPTS} export attempts; try again later`);
        continue;
      }
      const { extension, contentType } = FORMAT_FILES[request.format];
      const meta: ExportMetadata = {
        id,
        format: request.format,
        hashtag: request.hashtag,
        scope: request.scope,
        extraColumns: request.extraColumns,
        rows: written.rows,
        ...(written.nodes === undefined ? {} : { nodes: written.nodes }),
        bytes: written.bytes,
        fileName: `${request.hashtag}-${request.scope.toLowerCase()}-follows.${extension}`,
        contentType,
        createdAt: new Date().toISOString(),
        graphVersion: before,
      };
      await this.store.publish(meta);
      return { id, rows: meta.rows, bytes: meta.bytes, fileName: meta.fileName, contentType };
    }
  }

  async open(id: string): Promise<{ stream: NodeJS.ReadableStream; fileName: string; contentType: string; bytes: number } | null> {
    const meta = await this.store.load(id);
    if (!meta) return null;
    return { stream: createReadStream(meta.path), fileName: meta.fileName, contentType: FORMAT_FILES[meta.format].contentType, bytes: meta.bytes };
  }

  private write(id: string, request: ValidRequest): Promise<{ rows: number; nodes?: number; bytes: number }> {
    const path = this.store.partPath(id, request.format);
    if (request.format === 'CSV') return this.writeCsv(path, request);
    return this.writeGraph(path, request, request.format === 'GEXF' ? GEXF : GRAPHML);
  }

  private async writeCsv(path: string, request: ValidRequest): Promise<{ rows: number; bytes: number }> {
    const columns = columnsFor(request.extraColumns);
    let rows = 0;
    const db = this.db;
    async function* lines(): AsyncGenerator<string> {
      yield csvRow(columns.map((c) => c.name));
      for await (const row of streamFollowRows(db, request)) {
        rows++;
        yield csvRow(columns.map((c) => c.value(row)));
      }
    }
    const { bytes } = await writeTextFile(path, lines());
    return { rows, bytes };
  }

  private async writeGraph(path: string, request: ValidRequest, doc: GraphDocument): Promise<{ rows: number; nodes: number; bytes: number }> {
    const positions = new Map<string, number>();
    let edges = 0;
    const db = this.db;
    async function* pieces(): AsyncGenerator<string> {
      yield doc.head({ title: `#${request.hashtag} follows (${request.scope})`, createdAt: new Date() });
      for await (const node of streamExportNodes(db, request)) {
        const index = positions.size;
        positions.set(node.did, index);
        yield doc.node(node, index);
      }
      yield doc.betweenNodesAndEdges();
      for await (const e of streamExportEdges(db, request)) {
        const source = positions.get(e.source);
        const target = positions.get(e.target);
        // An edge written after the node pass read its scope: leave it out rather than dangle.
        if (source === undefined || target === undefined) continue;
        yield doc.edge(edges++, { did: e.source, index: source }, { did: e.target, index: target });
      }
      yield doc.tail();
    }
    const { bytes } = await writeTextFile(path, pieces());
    return { rows: edges, nodes: positions.size, bytes };
  }
}

function validate(req: ExportRequest): ValidRequest {
  if (!req || typeof req !== 'object') throw new ExportInputError('an export request is required');
  if (typeof req.hashtag !== 'string') throw new ExportInputError('hashtag is required');
  const hashtag = normaliseHashtag(req.hashtag);
  if (!SCOPES.includes(req.scope)) throw new ExportInputError(`unknown scope: ${String(req.scope)}`);
  if (!EXPORT_FORMATS.includes(req.format)) throw new ExportInputError(`unknown export format: ${String(req.format)}`);
  const extras = req.extraColumns ?? [];
  if (!Array.isArray(extras)) throw new ExportInputError('extraColumns must be a list');
  for (const e of extras) {
    if (!EXTRA_COLUMN_SETS.includes(e)) throw new ExportInputError(`unknown extra columns: ${String(e)} (use ${EXTRA_COLUMN_SETS.join(', ')})`);
  }
  if (extras.length && req.format !== 'CSV') throw new ExportInputError('extraColumns apply to CSV exports only');
  return { hashtag, scope: req.scope, format: req.format, extraColumns: EXTRA_COLUMN_SETS.filter((e) => extras.includes(e)) };
}
