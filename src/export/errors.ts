/** Typed export errors; `code` is what the GraphQL layer puts in `extensions.code`. */
import { CodedError } from '../core/errors.js';

export class ExportInputError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}

export class ExportNotFoundError extends CodedError {
  readonly code = 'NOT_FOUND';
}

/** The graph kept changing under the export (an ingest finished during every attempt). */
export class ExportConflictError extends CodedError {
  readonly code = 'CONFLICT';
}
