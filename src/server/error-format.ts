/**
 * One place that decides what a client sees of an error. Clients get a closed set of codes
 * (src/schema/errors.ts): graphql-js and Apollo's own client-fault codes become BAD_USER_INPUT
 * with the original kept in `reason`; service errors that carry a known `code` (ingest, hashtag)
 * keep it; everything else is INTERNAL, logged here, and in production stripped to a generic
 * message without stack trace (a Neo4j error can quote Cypher or the server address).
 */
import type { GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { isApiErrorCode } from '../schema/errors.js';
import type { Logger } from '../logging/logger.js';

const CLIENT_FAULTS = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

export function createErrorFormatter(options: { production: boolean; logger: Logger }) {
  const { production, logger } = options;
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const extensions = formatted.extensions ?? {};
    const code = extensions.code;
    const base = { message: formatted.message, ...(formatted.locations ? { locations: formatted.locations } : {}), ...(formatted.path ? { path: formatted.path } : {}) };

    if (typeof code === 'string' && CLIENT_FAULTS.has(code)) {
      const reason = typeof extensions.reason === 'string' ? extensions.reason : code;
      return { ...base, extensions: { code: 'BAD_USER_INPUT', reason } };
    }
    if (isApiErrorCode(code) && code !== 'INTERNAL') return { ...base, extensions: publicExtensions(extensions) };

    const original = unwrapResolverError(error);
    const originalCode = (original as { code?: unknown } | null)?.code;
    if (original instanceof Error && isApiErrorCode(originalCode) && originalCode !== 'INTERNAL') {
      return { ...base, message: original.message, extensions: { code: originalCode } };
    }

    const reason = internalReason(original, extensions.reason);
    logger.error('internal error', {
      error: original instanceof Error ? original.message : String(original),
      stack: original instanceof Error ? original.stack : undefined,
      path: formatted.path,
      reason,
    });
    const message = reason === 'TIMEOUT'
      ? 'the query ran past its time limit: narrow it (a hashtag, a smaller depth or limit)'
      : reason === 'DATABASE_UNAVAILABLE'
        ? 'the graph database is unavailable'
        : production
          ? 'internal error'
          : formatted.message;
    return {
      ...base,
      message,
      extensions: {
        code: 'INTERNAL',
        ...(reason ? { reason } : {}),
        ...(!production && extensions.stacktrace ? { stacktrace: extensions.stacktrace } : {}),
      },
    };
  };
}

/** What a client may see of our own extensions (never `http`, never a stack in production). */
function publicExtensions(extensions: Record<string, unknown>): Record<string, unknown> {
  const { http: _http, stacktrace: _stack, ...rest } = extensions;
  return rest;
}

function internalReason(original: unknown, given: unknown): string | undefined {
  if (typeof given === 'string') return given;
  const code = (original as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (code.startsWith('Neo.ClientError.Transaction.TransactionTimedOut')) return 'TIMEOUT';
  if (code === 'ServiceUnavailable' || code === 'SessionExpired') return 'DATABASE_UNAVAILABLE';
  return undefined;
}
