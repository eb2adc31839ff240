/**
 * The graph view's build for end-to-end tests: reuses web/dist when it is newer than every source
 * file, else runs the same `vite build` as `npm run build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WEB_ROOT = resolve('web');
export const WEB_DIST = join(WEB_ROOT, 'dist');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export function ensureWebBuild(): { built: boolean; ms: number } {
  const started = Date.now();
  const index = join(WEB_DIST, 'index.html');
  const sources = ['src', 'index.html', 'vite.config.ts'].map((p) => join(WEB_ROOT, p));
  if (existsSync(index) && statSync(index).mtimeMs >= Math.max(...sources.map(newestMtime))) return { built: false, ms: 0 };
  execFileSync(process.execPath, [resolve('node_modules/vite/bin/vite.js'), 'build', '--config', join(WEB_ROOT, 'vite.config.ts'), '--logLevel', 'warn'], {
    stdio: 'pipe',
    timeout: 180_000,
  });
  if (!existsSync(index)) throw new Error('vite build finished without web/dist/index.html');
  return { built: true, ms: Date.now() - started };
}
