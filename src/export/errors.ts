/** Typed export errors; `code` is what the GraphQL layer puts in `extensions.code`. */
export class ExportInputError extends Error {
  readonly code = 'BAD_USER_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}

export class ExportNotFoundError extends Error {
  readonly code = 'NOT_FOUND';
  constructor(message: string) {
    super(message);
    this.name = 'ExportNotFoundError';
  }
}

/** The graph kept changing under the export (an ingest finished during every attempt). */
export class ExportConflictError extends Error {
  readonly code = 'CONFLICT';
  constructor(message: string) {
    super(message);
    this.name = 'ExportConflictError';
  }
}
