/**
 * The graph view's GraphQL documents against the committed schema.graphql: a renamed field or
 * argument fails here in milliseconds instead of as a blank page in the browser test.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { buildSchema, parse, validate } from 'graphql';
import { OPERATIONS } from '../../web/src/api/operations.js';

const schema = buildSchema(readFileSync('schema.graphql', 'utf8'));

describe('graph view operations', () => {
  for (const [name, document] of Object.entries(OPERATIONS)) {
    it(`${name} is valid against schema.graphql`, () => {
      expect(validate(schema, parse(document)).map((e) => e.message)).toEqual([]);
    });
  }
});
