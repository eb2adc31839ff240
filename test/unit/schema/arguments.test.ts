import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { actorRef, boundedInt, hashtag, opaqueId, optionalHashtag, pageSize, searchText } from '../../../src/schema/arguments.js';

function reasonOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GraphQLError);
    expect((err as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (err as GraphQLError).extensions.reason;
  }
  return 'no error';
}

describe('argument checks', () => {
  it('page sizes are 1..1000, default 20', () => {
    expect(pageSize(null)).toBe(20);
    expect(pageSize(undefined, 7)).toBe(7);
    expect(pageSize(1)).toBe(1);
    expect(pageSize(1000)).toBe(1000);
    for (const n of [0, -1, 1001, 1.5, Number.NaN, 2 ** 31]) expect(reasonOf(() => pageSize(n))).toBe('OUT_OF_RANGE');
    expect(reasonOf(() => boundedInt('depth', 4, 1, 3))).toBe('OUT_OF_RANGE');
  });

  it('hashtags go through normaliseHashtag', () => {
    expect(hashtag('#DataBS')).toBe('databs');
    expect(optionalHashtag(null)).toBeNull();
    for (const bad of ['', '#', 'two words', "' OR 1=1", '123', 'x'.repeat(65), '}) MATCH (n) DETACH DELETE n //']) {
      expect(reasonOf(() => hashtag(bad))).toBe('INVALID_HASHTAG');
    }
  });

  it('actor arguments are handles or DIDs', () => {
    expect(actorRef('@Alice.BSKY.social')).toEqual({ kind: 'handle', handle: 'alice.bsky.social' });
    expect(actorRef(' did:plc:abc123 ')).toEqual({ kind: 'did', did: 'did:plc:abc123' });
    expect(actorRef('did:web:example.com')).toEqual({ kind: 'did', did: 'did:web:example.com' });
    for (const bad of ['', 'alice', 'did:', 'did:PLC:x', 'did:plc:', "alice.bsky.social' OR 1=1", 'a'.repeat(300) + '.com', 'did:plc:' + 'a'.repeat(3000), 'алиса.рф', '-x.com']) {
      expect(reasonOf(() => actorRef(bad))).toBe('INVALID_ACTOR');
    }
  });

  it('search is trimmed, lower-cased, at most 100 characters', () => {
    expect(searchText('  Chloe ')).toBe('chloe');
    expect(searchText('   ')).toBeNull();
    expect(reasonOf(() => searchText('x'.repeat(101)))).toBe('TOO_LONG');
  });

  it('ids are short tokens', () => {
    expect(opaqueId('3f1c0c4e-8a5e-4f9c-9d59-0c6a2a3b7d11')).toBe('3f1c0c4e-8a5e-4f9c-9d59-0c6a2a3b7d11');
    for (const bad of ['', '../etc/passwd', 'a b', 'x'.repeat(129)]) expect(reasonOf(() => opaqueId(bad))).toBe('INVALID_ID');
  });
});
