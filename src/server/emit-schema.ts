/**
 * Writes schema.graphql at the repository root from the type-graphql schema:
 *   node --import @swc-node/register/esm-register src/server/emit-schema.ts [path]
 * A test fails when the committed file is stale.
 */
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApiSchema, schemaSdl } from './build-schema.js';
import { packagePath } from '../config/package-root.js';

export const SCHEMA_FILE = packagePath('schema.graphql');

async function main(): Promise<void> {
  const target = process.argv[2] ?? SCHEMA_FILE;
  await writeFile(target, schemaSdl(await buildApiSchema()), 'utf8');
  process.stdout.write(`wrote ${target}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
