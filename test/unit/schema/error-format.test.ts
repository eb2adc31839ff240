/** What clients see of errors: a closed set of codes, nothing internal in production. */
import { describe, expect, it } from '@jest/globals';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { IngestConflictError, IngestNotFoundError, IngestStateError } from '../../../src/ingest/types.js';
import { HashtagError } from '../../../src/core/hashtag.js';
import { createLogger } from '../../../src/logging/logger.js';
import { createErrorFormatter } from '../../../src/server/error-format.js';

function format(error: unknown, production: boolean, extensions: Record<string, unknown> = { code: 'INTERNAL_SERVER_ERROR', stacktrace: ['Error: x', '    at f (a.ts:1)'] }) {
  const lines: string[] = [];
  const formatter = createErrorFormatter({ production, logger: createLogger('debug', 't', (l) => lines.push(l)) });
  const message = error instanceof Error ? error.message : 'boom';
  const wrapped = new GraphQLError(message, { originalError: error instanceof Error ? error : undefined, path: ['q'] });
  const formatted: GraphQLFormattedError = { message, path: ['q'], extensions };
  return { out: formatter(formatted, wrapped), lines };
}

function neo4jError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('error formatter', () => {
  it('passes on the codes of ingest and hashtag errors, with their messages', () => {
    expect(format(new IngestConflictError('databs', 'r1'), true).out.extensions).toEqual({ code: 'CONFLICT' });
    expect(format(new IngestNotFoundError('r1'), true).out.extensions).toEqual({ code: 'NOT_FOUND' });
    expect(format(new IngestStateError('nope'), true).out).toMatchObject({ message: 'nope', extensions: { code: 'BAD_USER_INPUT' } });
    expect(format(new HashtagError('bad tag'), true).out).toMatchObject({ message: 'bad tag', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('maps graphql-js and Apollo client faults to BAD_USER_INPUT, keeping the original as reason', () => {
    for (const code of ['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'OPERATION_RESOLUTION_FAILURE']) {
      expect(format(new Error('x'), true, { code }).out.extensions).toEqual({ code: 'BAD_USER_INPUT', reason: code });
    }
    expect(format(new Error('x'), true, { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'QUERY_TOO_DEEP' }).out.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      reason: 'QUERY_TOO_DEEP',
    });
  });

  it('hides internals in production, logs them always', () => {
    const { out, lines } = format(new Error('MATCH (n) at bolt://10.0.0.1'), true);
    expect(out).toEqual({ message: 'internal error', path: ['q'], extensions: { code: 'INTERNAL' } });
    expect(lines.join('\n')).toContain('bolt://10.0.0.1');
    const dev = format(new Error('MATCH (n)'), false).out;
    expect(dev.message).toBe('MATCH (n)');
    expect(dev.extensions?.stacktrace).toBeDefined();
  });

  it('names database time-outs and outages', () => {
    const timeout = format(neo4jError('Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration', 'tx timed out'), true).out;
    expect(timeout.extensions).toEqual({ code: 'INTERNAL', reason: 'TIMEOUT' });
    expect(timeout.message).toMatch(/time limit/);
    const down = format(neo4jError('ServiceUnavailable', 'connect ECONNREFUSED 10.0.0.1:7687'), true).out;
    expect(down).toMatchObject({ message: 'the graph database is unavailable', extensions: { code: 'INTERNAL', reason: 'DATABASE_UNAVAILABLE' } });
  });

  it('never shows a Neo4j error code as an API code', () => {
    expect(format(neo4jError('Neo.ClientError.Statement.SyntaxError', 'bad'), true).out.extensions).toEqual({ code: 'INTERNAL' });
  });
});
