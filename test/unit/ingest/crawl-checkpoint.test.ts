import { describe, expect, it } from '@jest/globals';
import { CorruptCheckpointError, parseCheckpoint, serialiseCheckpoint } from '../../../src/ingest/crawl-checkpoint.js';
import { publicRunError } from '../../../src/ingest/run-errors.js';
import { initialSearchState } from '../../../src/ingest/search-stage.js';

const SEARCH = { hashtag: 'databs', until: '2025-03-01T00:00:00.000Z' };
const valid = {
  search: { cursor: '100', until: null, oldestAt: '2025-01-01T00:00:00.000Z', boundaryUris: ['at://did:plc:a/app.bsky.feed.post/1'], windowNew: 3, matched: 120, pages: 2, done: false },
};

function corruptMessage(stored: string): string {
  try {
    parseCheckpoint('run-1', stored, SEARCH);
  } catch (err) {
    expect(err).toBeInstanceOf(CorruptCheckpointError);
    expect((err as CorruptCheckpointError).code).toBe('BAD_USER_INPUT');
    // The run's record shows the message as it is.
    expect(publicRunError(err, 'run-1')).toBe((err as Error).message);
    return (err as Error).message;
  }
  throw new Error('parseCheckpoint accepted a corrupt checkpoint');
}

describe('parseCheckpoint', () => {
  it('starts a run without a checkpoint from the beginning of its window', () => {
    expect(parseCheckpoint('run-1', null, SEARCH)).toEqual({ search: initialSearchState(SEARCH) });
    expect(parseCheckpoint('run-1', null, SEARCH).search.until).toBe(SEARCH.until);
  });

  it('reads back what it wrote', () => {
    expect(parseCheckpoint('run-1', serialiseCheckpoint(valid), SEARCH)).toEqual(valid);
  });

  it('fails a checkpoint that is not JSON, naming the run', () => {
    expect(corruptMessage('{"search": {"cursor"')).toMatch(/^run run-1 cannot resume: its stored checkpoint is corrupt \(it is not JSON .*\); start a new ingest instead$/);
  });

  it('fails a checkpoint of the wrong shape, naming the fields', () => {
    const message = corruptMessage(JSON.stringify({ search: { ...valid.search, cursor: 5, pages: -1 } }));
    expect(message).toContain('search.cursor: Expected string, received number');
    expect(message).toContain('search.pages: Number must be greater than or equal to 0');
    expect(corruptMessage(JSON.stringify({ search: { ...valid.search, boundaryUris: undefined } }))).toContain('search.boundaryUris: Required');
    expect(corruptMessage('[]')).toContain('(root): Expected object, received array');
    expect(corruptMessage('null')).toContain('(root): Expected object, received null');
  });
});
