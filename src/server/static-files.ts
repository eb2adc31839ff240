/**
 * Serves the built graph view (web/dist) read-only. Paths are resolved inside the root and refused
 * if they escape it; browser navigations to unknown paths get index.html (client-side routes).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { pipeCompressed } from './compression.js';
import { sendError } from './http-responses.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Returns false when nothing was found (the caller answers 404). */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, pathname: string): Promise<boolean> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    sendError(res, 400, 'BAD_USER_INPUT', 'malformed path', { reason: 'MALFORMED_PATH' });
    return true;
  }
  if (decoded.includes('\0')) return false;
  const base = resolve(root);
  let file = resolve(base, '.' + decoded);
  if (file !== base && !file.startsWith(base + sep)) return false;
  let info = await statOrNull(file);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await statOrNull(file);
  }
  // Browser navigation to a client-side route (/actor/alice.bsky.social has a dot, so the Accept
  // header decides, not the extension); missing assets still get 404.
  const navigation = extname(decoded) === '' || /\btext\/html\b/.test(req.headers.accept ?? '');
  if (!info?.isFile() && navigation) {
    file = join(base, 'index.html');
    info = await statOrNull(file);
  }
  if (!info?.isFile()) return false;

  const headers = {
    'content-type': TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    // Vite fingerprints assets; index.html must be revalidated to pick up new ones.
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (req.method === 'HEAD') {
    res.writeHead(200, { ...headers, 'content-length': info.size });
    res.end();
    return true;
  }
  try {
    await pipeCompressed(req, res, 200, headers, createReadStream(file), info.size);
  } catch {
    // A read error or a client gone mid-file: the headers are out, so cut the response.
    res.destroy();
  }
  return true;
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}
