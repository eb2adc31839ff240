/** GET /exports/:id — streams a file written by ExportService, behind the API key when one is set. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { Logger } from '../logging/logger.js';
import type { ExportProvider } from '../resolvers/context.js';
import type { ApiKey } from './api-key.js';
import { sendError } from './http-responses.js';

const ID = /^[A-Za-z0-9_-]{1,128}$/;

export async function handleExportDownload(
  req: IncomingMessage,
  res: ServerResponse,
  args: { id: string; exports: ExportProvider | undefined; apiKey: ApiKey; logger: Logger },
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendError(res, 405, 'BAD_USER_INPUT', 'exports are downloaded with GET', { reason: 'METHOD_NOT_ALLOWED', headers: { allow: 'GET, HEAD' } });
  }
  if (!args.apiKey.accepts(req.headers.authorization)) {
    return sendError(res, 401, 'UNAUTHENTICATED', 'missing or wrong API key: send Authorization: Bearer <API_KEY>', {
      headers: { 'www-authenticate': 'Bearer realm="bsky-graph"' },
    });
  }
  if (!ID.test(args.id)) return sendError(res, 400, 'BAD_USER_INPUT', 'not an export id', { reason: 'INVALID_ID' });
  const file = args.exports ? await args.exports.open(args.id) : null;
  if (!file) return sendError(res, 404, 'NOT_FOUND', `no export ${args.id}`);

  res.writeHead(200, {
    'content-type': file.contentType,
    'content-length': file.bytes,
    'content-disposition': contentDisposition(file.fileName),
    'cache-control': 'private, no-store',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') {
    (file.stream as Readable).destroy?.();
    res.end();
    return;
  }
  try {
    await pipeline(file.stream as Readable, res);
  } catch (err) {
    // Headers are gone; all we can do is cut the response so the client sees a short file.
    args.logger.warn('export download interrupted', { id: args.id, error: (err as Error).message });
    res.destroy();
  }
}

/** RFC 6266: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
