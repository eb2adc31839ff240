/** Small response helpers shared by the server's routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiErrorCode } from '../schema/errors.js';

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** Errors outside GraphQL execution still have the GraphQL shape, so clients parse one format. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: ApiErrorCode,
  message: string,
  extra: { reason?: string; headers?: Record<string, string> } = {},
): void {
  sendJson(res, status, { errors: [{ message, extensions: { code, ...(extra.reason ? { reason: extra.reason } : {}) } }] }, extra.headers);
}

export class BodyTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Reads a request body up to `limit` bytes. Past the limit it keeps reading and discarding (so the
 * client sees our 413, not a reset connection) up to a hard ceiling, then drops the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const ceiling = limit * 16;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > ceiling) req.destroy();
    });
    req.on('error', reject);
    req.on('close', () => {
      // Settles only if neither 'end' nor 'error' did: the client went away mid-body.
      if (!req.complete) reject(size > limit ? new BodyTooLargeError(limit) : new Error('client closed the connection'));
    });
    req.on('end', () => (size > limit ? reject(new BodyTooLargeError(limit)) : resolve(Buffer.concat(chunks))));
  });
}
