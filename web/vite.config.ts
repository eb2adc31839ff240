/**
 * The graph view's build. `npm run build` calls `vite build --config web/vite.config.ts` from the
 * repository root, so every path here is anchored to this file, not to the working directory.
 * The output (web/dist) is what `bsky-graph serve` hands out at `/`; the page talks only to the
 * same origin's `/graphql`.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: './',
  // No public/ folder: everything the page needs is imported from src/.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // sigma + graphology are one large chunk by nature; the warning would only be noise.
    chunkSizeWarningLimit: 1500,
  },
  worker: { format: 'es' },
  server: {
    // `npx vite --config web/vite.config.ts` during development: forward the API to a running
    // `bsky-graph serve` (PORT 4000 by default) so the page keeps speaking to its own origin.
    proxy: { '/graphql': 'http://127.0.0.1:4000', '/exports': 'http://127.0.0.1:4000' },
  },
});
