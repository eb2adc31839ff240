#!/usr/bin/env node
// Runs the compiled CLI (dist/, built by `npm ci` through the prepare script). Falls back to the
// TypeScript sources through a runtime compiler only when dist/ is missing or older than src/ or
// devnet/ — a developer's working tree — and says so, since that start is several times slower.
// The build mirrors the repository (dist/src/, dist/devnet/): the CLI loads the devnet for `demo`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { register } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = join(root, 'dist/src/cli/main.js');

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
const sourceDirs = [srcDir, join(root, 'devnet')].filter((dir) => existsSync(dir));
const fresh = existsSync(built) && sourceDirs.every((dir) => statSync(built).mtimeMs >= newestMtime(dir));
if (fresh) {
  await import(pathToFileURL(built).href);
} else {
  if (existsSync(built)) process.stderr.write('bsky-graph: dist/ is older than src/ or devnet/; running the sources (`npm run build` makes starts fast again)\n');
  register('@swc-node/register/esm', pathToFileURL(root));
  await import(pathToFileURL(join(srcDir, 'cli/main.ts')).href);
}
