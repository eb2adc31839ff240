/**
 * Clients are never broken silently: the schema the code builds is diffed against
 * schema.baseline.graphql, the last schema the team published, and any breaking change (a removed
 * field, type or enum value, a new required argument, a narrowed type) fails here. To make an
 * intended break, run `npm run schema:accept` (it rewrites the baseline) and commit the baseline
 * with the change, so the break shows up in review as a diff of that file.
 */
import { describe, expect, it } from '@jest/globals';
import { CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema } from 'graphql';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { buildApiSchema } from '../../../src/server/build-schema.js';

const BASELINE_FILE = fileURLToPath(new URL('../../../schema.baseline.graphql', import.meta.url));

describe('schema compatibility', () => {
  it('has no breaking change against schema.baseline.graphql (accept an intended one: npm run schema:accept)', async () => {
    const baseline = buildSchema(await readFile(BASELINE_FILE, 'utf8'));
    const changes = await diff(baseline, await buildApiSchema());
    const breaking = changes.filter((c) => c.criticality.level === CriticalityLevel.Breaking).map((c) => `${c.path ?? ''}: ${c.message}`);
    expect(breaking).toEqual([]);
  });
});
