/** Typed analytics errors; `code` is what the GraphQL layer puts in `extensions.code`. */
import { CodedError } from '../core/errors.js';

export class AnalyticsInputError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}

/** The in-process fallback would block the server for too long (no GDS installed). */
export class AnalyticsTooLargeError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}

/** Scores were asked for a hashtag the graph does not have. */
export class AnalyticsNotFoundError extends CodedError {
  readonly code = 'NOT_FOUND';
}

/** The question needs something this server lacks (Leiden without the GDS plugin): ask another one. */
export class AnalyticsUnavailableError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}
