import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { decodeCursor, encodeCursor } from '../../../src/schema/cursor.js';

function codeOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    return (err as GraphQLError).extensions.code;
  }
  return 'no error';
}

describe('cursors', () => {
  it('round-trip numeric and string keys, unicode included', () => {
    for (const [order, key] of [['FOLLOWERS', 0], ['FOLLOWERS', -1], ['PAGERANK', 0.123456789012345], ['HANDLE', 'zoë.example.com'], ['HANDLE', '']] as const) {
      const cursor = encodeCursor(order, { key, did: 'did:plc:abc' });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(order, cursor)).toEqual({ key, did: 'did:plc:abc' });
    }
  });

  it('null/undefined mean the first page', () => {
    expect(decodeCursor('HANDLE', null)).toBeNull();
    expect(decodeCursor('HANDLE', undefined)).toBeNull();
  });

  it('refuse anything else as BAD_USER_INPUT', () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const bad = [
      '',
      'not a cursor!',
      'abc',
      b64('x'),
      b64([1, 2]),
      b64({ o: 'HANDLE', k: 'a' }),
      b64({ o: 'HANDLE', k: 'a', d: 'plc:abc' }),
      b64({ o: 'HANDLE', k: 1, d: 'did:plc:abc' }),
      b64({ o: 'FOLLOWERS', k: 'a', d: 'did:plc:abc' }),
      b64({ o: 'FOLLOWERS', k: null, d: 'did:plc:abc' }),
      b64({ o: 'PAGERANK', k: 1, d: 'did:plc:abc' }), // another order's cursor
      b64({ o: 'HANDLE', k: 'a', d: 'did:' + 'x'.repeat(3000) }),
      'A'.repeat(5000),
    ];
    for (const cursor of bad) expect(codeOf(() => decodeCursor('FOLLOWERS', cursor))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => decodeCursor('HANDLE', encodeCursor('FOLLOWERS', { key: 3, did: 'did:plc:a' })))).toBe('BAD_USER_INPUT');
  });
});
