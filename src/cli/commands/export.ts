/** `bsky-graph export <hashtag>`: the export mutation's file, written to --out (or stdout). */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../../config/config.js';
import { ExportService, type ExportRequest } from '../../export/export-service.js';
import { GraphDatabase } from '../../graph/database.js';
import { normaliseHashtag } from '../../core/hashtag.js';
import { parseCommand } from '../parse.js';
import { UsageError } from '../usage-error.js';

const FORMATS = { csv: 'CSV', gexf: 'GEXF', graphml: 'GRAPHML' } as const;
const SCOPES = { all: 'ALL', community: 'COMMUNITY' } as const;

export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    { out: { type: 'string' }, format: { type: 'string', default: 'csv' }, scope: { type: 'string', default: 'all' }, dids: { type: 'boolean', default: false } },
    1,
  );
  if (!positionals[0]) throw new UsageError('export needs a hashtag');
  const format = FORMATS[values.format!.toLowerCase() as keyof typeof FORMATS];
  if (!format) throw new UsageError(`--format must be csv, gexf or graphml, got "${values.format}"`);
  const scope = SCOPES[values.scope!.toLowerCase() as keyof typeof SCOPES];
  if (!scope) throw new UsageError(`--scope must be all or community, got "${values.scope}"`);
  const request: ExportRequest = { hashtag: normaliseHashtag(positionals[0]), format, scope, extraColumns: values.dids ? ['dids'] : [] };

  const config = loadConfig();
  const db = GraphDatabase.fromConfig(config);
  try {
    const service = new ExportService(db, config.server.exportDir);
    const result = await service.create(request);
    const file = await service.open(result.id);
    if (!file) throw new Error(`export ${result.id} vanished`);
    await pipeline(file.stream, values.out ? createWriteStream(values.out) : process.stdout);
    process.stderr.write(`${result.rows} rows, ${result.bytes} bytes${values.out ? ` → ${values.out}` : ''}\n`);
    return 0;
  } finally {
    await db.close();
  }
}
