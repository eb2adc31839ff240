/**
 * Paths inside this package (README.md, schema.graphql, web/dist, neo4j/), found from the sources
 * (src/…) and the build (dist/src/…) alike. The build mirrors the repository under dist/ because
 * devnet/ sits beside src/, so a fixed count of `../` from import.meta.url would differ between
 * the two; the nearest directory holding package.json is the root in both (dist/ holds none).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** An absolute path inside the package, e.g. `packagePath('web', 'dist')`. */
export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
