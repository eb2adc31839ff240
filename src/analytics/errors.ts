/** Typed analytics errors; `code` is what the GraphQL layer puts in `extensions.code`. */
export class AnalyticsInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsInputError';
  }
}

/** The in-process fallback would block the server for too long (no GDS installed). */
export class AnalyticsTooLargeError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsTooLargeError';
  }
}

/** Scores were asked for a hashtag the graph does not have. */
export class AnalyticsNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'AnalyticsNotFoundError';
  }
}
