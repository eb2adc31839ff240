#!/usr/bin/env node
// Runs the built CLI when `npm run build` has been run, the TypeScript sources otherwise.
import { existsSync } from 'node:fs';
import { register } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = `${root}dist/cli/main.js`;
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  register('@swc-node/register/esm', pathToFileURL(`${root}/`));
  await import(pathToFileURL(`${root}src/cli/main.ts`).href);
}
