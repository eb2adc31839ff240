import { describe, expect, it } from '@jest/globals';
import { operationName } from '../../../src/graph/database.js';

describe('operationName (the transaction metadata op)', () => {
  it('names the first caller outside database.ts', () => {
    const frames = [
      { file: 'file:///app/dist/src/graph/database.js', fn: 'read' },
      { file: 'file:///app/dist/src/graph/ingest-writes.js', fn: 'writeBatch' },
      { file: '/work/main/src/ingest/batch-writer.ts', fn: 'flush' },
    ];
    expect(operationName(frames)).toBe('ingest-writes:writeBatch');
  });

  it('falls back to the module for anonymous functions, and to "query" for no named module', () => {
    expect(operationName([{ file: '/work/main/src/resolvers/loaders.ts', fn: null }])).toBe('loaders');
    expect(operationName([{ file: null, fn: 'Promise' }, { file: 'node:internal/process/task_queues', fn: 'processTicksAndRejections' }])).toBe('query');
  });

  it('reads the real call stack by default', () => {
    function resolveSomething(): string {
      return operationName();
    }
    expect(resolveSomething()).toBe('operation-name.test:resolveSomething');
  });
});
