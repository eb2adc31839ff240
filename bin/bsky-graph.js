#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script). Falls back to the
// TypeScript sources through a runtime compiler only when dist/ is missing or older than src/ — a
// developer's working tree — and says so, since that start is several times slower.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/cli/main.js');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

const srcDir = join(root, 'src');
const fresh = existsSync(built) && (!existsSync(srcDir) || statSync(built).mtimeMs >= newestMtime(srcDir));
if (fresh) {
  await import(pathToFileURL(built).href);
} else {
  if (existsSync(built)) process.stderr.write('bsky-graph: dist/ is older than src/; running the sources (`npm run build` makes starts fast again)\n');
  register('@swc-node/register/esm', pathToFileURL(root));
  await import(pathToFileURL(join(srcDir, 'cli/main.ts')).href);
}
