/** `bsky-graph serve`: the GraphQL API and the graph view, until SIGINT/SIGTERM. */
import { loadConfig } from '../../config/config.js';
import { createLogger } from '../../logging/logger.js';
import { parseCommand } from '../parse.js';
import { startApp } from '../app.js';

export async function serveCommand(argv: string[]): Promise<number> {
  parseCommand(argv, {});
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, logger);
  process.stdout.write(`GraphQL  ${app.url}/graphql\n`);
  process.stdout.write(app.webView ? `Graph    ${app.url}/\n` : 'Graph    not built: run `npm run build` and restart to serve it at /\n');
  await waitForSignal();
  await app.close();
  return 0;
}

export function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
