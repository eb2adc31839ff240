/**
 * The base of every error the product raises on purpose. `code` is the machine-readable kind that
 * callers branch on (the GraphQL layer copies it to `extensions.code`, the run log keeps it), so no
 * one has to classify errors by their message text.
 */
export abstract class CodedError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** True for any error, ours or a library's, that carries a string `code`. */
export function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
