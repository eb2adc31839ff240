/**
 * Response compression with node:zlib. The encoding follows the client's Accept-Encoding (q-values
 * honoured, br preferred over gzip); bodies under a kilobyte go as they are, since the headers and
 * the CPU would cost more than they save. Brotli runs at quality 5: the default (11) takes seconds
 * on a 20 MB graph, and 5 already beats gzip's size.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, createBrotliCompress, createGzip, gzip, type BrotliOptions } from 'node:zlib';

export type Encoding = 'br' | 'gzip';

export const MIN_COMPRESS_BYTES = 1024;

const BROTLI: BrotliOptions = { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } };
const GZIP = { level: 6 };
const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

/** The encoding to answer with, or null for identity. */
export function negotiateEncoding(header: string | string[] | undefined): Encoding | null {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return null;
  const q = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qp = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qp ? Number(qp.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const weight = (e: Encoding) => q.get(e) ?? (q.has('*') ? q.get('*')! : 0);
  const br = weight('br');
  const gz = weight('gzip');
  if (br <= 0 && gz <= 0) return null;
  return br >= gz ? 'br' : 'gzip';
}

/** Worth compressing: text, JSON, JavaScript, SVG, WebAssembly; not images or fonts already packed. */
export function compressibleType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  return /^(text\/|application\/(json|javascript|xml|wasm|graphql-response\+json|[a-z.+-]*\+json|[a-z.+-]*\+xml)|image\/svg\+xml)/i.test(contentType);
}

function addVary(res: ServerResponse): void {
  const vary = res.getHeader('vary');
  const current = Array.isArray(vary) ? vary.join(', ') : vary === undefined ? '' : String(vary);
  if (!/\baccept-encoding\b/i.test(current)) res.setHeader('vary', current ? `${current}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * Ends `res` with `body`, compressed when the client accepts it and the type is worth it. Headers
 * (status, content-type) must be set on `res` already and not yet sent.
 */
export async function endCompressed(req: IncomingMessage, res: ServerResponse, body: string | Buffer): Promise<void> {
  const data = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const contentType = res.getHeader('content-type');
  if (compressibleType(typeof contentType === 'string' ? contentType : undefined)) addVary(res);
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  if (!encoding || data.length < MIN_COMPRESS_BYTES || !compressibleType(typeof contentType === 'string' ? contentType : undefined) || res.getHeader('content-encoding')) {
    res.setHeader('content-length', data.length);
    res.end(data);
    return;
  }
  const packed = encoding === 'br' ? await brotliAsync(data, BROTLI) : await gzipAsync(data, GZIP);
  res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', packed.length);
  res.end(packed);
}

/**
 * Pipes a stream into `res`, through a compressor when the client accepts one. Call before
 * writeHead; `headers` must not carry content-length when compression may apply (it is removed).
 */
export async function pipeCompressed(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  headers: Record<string, string | number>,
  source: Readable,
  size: number,
): Promise<void> {
  const type = String(headers['content-type'] ?? '');
  const encoding = compressibleType(type) && size >= MIN_COMPRESS_BYTES ? negotiateEncoding(req.headers['accept-encoding']) : null;
  if (compressibleType(type)) headers = { ...headers, vary: 'Accept-Encoding' };
  if (!encoding) {
    res.writeHead(status, { ...headers, 'content-length': size });
    await pipeline(source, res);
    return;
  }
  const { 'content-length': _dropped, ...rest } = headers;
  res.writeHead(status, { ...rest, 'content-encoding': encoding });
  await pipeline(source, encoding === 'br' ? createBrotliCompress(BROTLI) : createGzip(GZIP), res);
}
