/** XRPC error responses: `{ error, message }` JSON with the status the real services use. */
export class XrpcError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const invalidRequest = (message: string, error = 'InvalidRequest'): XrpcError => new XrpcError(400, error, message);
