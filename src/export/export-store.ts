/**
 * Export files on disk: `<id>.<ext>` and a JSON sidecar `<id>.json` with what `open` needs after a
 * restart. Ids are random UUIDs; anything else is refused before it can touch the file system, so an
 * id can never name a path outside the directory.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EXPORT_FORMATS, type ExportFormat } from '../core/export-format.js';
import type { Scope } from '../core/scope.js';
import type { ExtraColumnSet } from './csv-columns.js';

export const FORMAT_FILES: Record<ExportFormat, { extension: string; contentType: string }> = {
  CSV: { extension: 'csv', contentType: 'text/csv; charset=utf-8' },
  GEXF: { extension: 'gexf', contentType: 'application/gexf+xml; charset=utf-8' },
  GRAPHML: { extension: 'graphml', contentType: 'application/graphml+xml; charset=utf-8' },
};

export interface ExportMetadata {
  id: string;
  format: ExportFormat;
  hashtag: string;
  scope: Scope;
  extraColumns: ExtraColumnSet[];
  /** CSV: data rows (header excluded). GEXF/GraphML: edges. */
  rows: number;
  /** GEXF/GraphML: nodes written. */
  nodes?: number;
  bytes: number;
  fileName: string;
  contentType: string;
  createdAt: string;
  graphVersion: number;
}

const EXPORT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isExportId(id: unknown): id is string {
  return typeof id === 'string' && EXPORT_ID.test(id);
}

export class ExportStore {
  constructor(readonly directory: string) {}

  newId(): string {
    return randomUUID();
  }

  async prepare(): Promise<void> {
    await mkdir(this.directory, { recursive: true });
  }

  dataPath(id: string, format: ExportFormat): string {
    if (!isExportId(id)) throw new Error(`not an export id: ${id}`);
    return join(this.directory, `${id}.${FORMAT_FILES[format].extension}`);
  }

  /** Where a file is written before it is complete; `open` never sees a half-written export. */
  partPath(id: string, format: ExportFormat): string {
    return `${this.dataPath(id, format)}.part`;
  }

  private sidecarPath(id: string): string {
    if (!isExportId(id)) throw new Error(`not an export id: ${id}`);
    return join(this.directory, `${id}.json`);
  }

  /** Publishes a finished file: rename the part into place, then write the sidecar atomically. */
  async publish(meta: ExportMetadata): Promise<void> {
    await rename(this.partPath(meta.id, meta.format), this.dataPath(meta.id, meta.format));
    const sidecar = this.sidecarPath(meta.id);
    await writeFile(`${sidecar}.part`, JSON.stringify(meta, null, 2) + '\n', { flag: 'wx' });
    await rename(`${sidecar}.part`, sidecar);
  }

  async discard(id: string, format: ExportFormat): Promise<void> {
    await rm(this.partPath(id, format), { force: true });
  }

  /** The metadata of a published export, or null (unknown id, bad id, missing or damaged files). */
  async load(id: string): Promise<(ExportMetadata & { path: string }) | null> {
    if (!isExportId(id)) return null;
    let meta: ExportMetadata;
    try {
      meta = JSON.parse(await readFile(this.sidecarPath(id), 'utf8')) as ExportMetadata;
    } catch {
      return null;
    }
    if (meta.id !== id || !EXPORT_FORMATS.includes(meta.format)) return null;
    const path = this.dataPath(id, meta.format);
    try {
      const info = await stat(path);
      if (!info.isFile()) return null;
      return { ...meta, bytes: info.size, path };
    } catch {
      return null;
    }
  }
}
