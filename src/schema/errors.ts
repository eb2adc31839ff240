/**
 * The API's error vocabulary. Every error a client sees carries one of these `extensions.code`s;
 * `extensions.reason` narrows BAD_USER_INPUT (INVALID_CURSOR, QUERY_TOO_DEEP, …) without widening
 * the set of codes clients must handle.
 *
 * CONFLICT joined the contract's original five codes: "an ingest of this hashtag is already running"
 * is neither the caller's syntax error nor a server fault, and a client wants to tell it apart
 * (to show the running run instead of retrying).
 */
import { GraphQLError } from 'graphql';

export const API_ERROR_CODES = ['BAD_USER_INPUT', 'NOT_FOUND', 'UNAUTHENTICATED', 'RATE_LIMITED', 'CONFLICT', 'INTERNAL'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

/**
 * HTTP status for errors that stop a whole request before execution (Apollo would answer 500).
 * Errors raised while resolving fields keep HTTP 200, as GraphQL over HTTP expects: other fields
 * of the same response may have data.
 */
const HTTP_STATUS: Record<ApiErrorCode, number> = {
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  CONFLICT: 409,
  INTERNAL: 500,
};

export function apiError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra } });
}

/** An error that rejects the whole request (auth, limits), with the matching HTTP status. */
export function requestError(code: ApiErrorCode, message: string, extra: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extra, http: { status: HTTP_STATUS[code] } } });
}

export function badInput(message: string, reason?: string): GraphQLError {
  return apiError('BAD_USER_INPUT', message, reason ? { reason } : {});
}

export function notFound(message: string): GraphQLError {
  return apiError('NOT_FOUND', message);
}

export function unauthenticated(message = 'missing or wrong API key: send Authorization: Bearer <API_KEY>'): GraphQLError {
  return requestError('UNAUTHENTICATED', message);
}

export function internal(message: string, reason?: string): GraphQLError {
  return apiError('INTERNAL', message, reason ? { reason } : {});
}
