/** The example operations Apollo Sandbox opens with must stay valid against the schema. */
import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { parse, validate } from 'graphql';
import { buildApiSchema } from '../../../src/server/build-schema.js';
import { EXAMPLE_DOCUMENT } from '../../../src/server/example-queries.js';

describe('Sandbox example document', () => {
  it('validates against the schema', async () => {
    const schema = await buildApiSchema();
    const document = parse(EXAMPLE_DOCUMENT);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
    expect(document.definitions.length).toBeGreaterThanOrEqual(8);
  });
});
