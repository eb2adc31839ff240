/** Every ```graphql block of the README must stay valid against the schema: no stale example in the manual. */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse, validate } from 'graphql';
import { buildApiSchema } from '../../../src/server/build-schema.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README GraphQL examples', () => {
  it('exist', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });

  it.each(blocks.map((block, i) => [i + 1, block] as const))('block %i validates against the schema', async (_n, block) => {
    const schema = await buildApiSchema();
    expect(validate(schema, parse(block)).map((e) => e.message)).toEqual([]);
  });
});
