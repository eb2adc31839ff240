/** `bsky-graph devnet`: a local AT Protocol network serving a synthetic community, until Ctrl-C. */
import { parseRateLimit } from '../../config/config.js';
import { readFileSync } from 'node:fs';
import { parseFaults, runDevnetCli, type Faults } from '../../../devnet/index.js';
import { parseCommand, positiveInt } from '../parse.js';
import { UsageError } from '../usage-error.js';

export async function devnetCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, {
    members: { type: 'string' },
    seed: { type: 'string' },
    port: { type: 'string' },
    rate: { type: 'string' },
    'search-cap': { type: 'string' },
    'error-rate': { type: 'string' },
    latency: { type: 'string' },
    truth: { type: 'string' },
    faults: { type: 'string' },
    live: { type: 'boolean' },
    groups: { type: 'string' },
  });
  const groups = values.groups === undefined ? undefined : Number(values.groups);
  if (groups !== undefined && !(Number.isInteger(groups) && groups >= 0 && groups <= 8)) throw new UsageError('--groups must be an integer from 0 to 8');
  const errorRate = values['error-rate'] === undefined ? undefined : Number(values['error-rate']);
  if (errorRate !== undefined && !(errorRate >= 0 && errorRate < 1)) throw new UsageError('--error-rate must be a number from 0 to 1');
  let latencyMs: [number, number] | undefined;
  if (values.latency !== undefined) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(values.latency);
    if (!m) throw new UsageError('--latency takes MS or MIN-MAX, e.g. 20-50');
    latencyMs = [Number(m[1]), Number(m[2] ?? m[1])];
  }
  let extra: Faults = {};
  if (values.faults !== undefined) {
    try {
      extra = parseFaults(values.faults.startsWith('@') ? readFileSync(values.faults.slice(1), 'utf8') : values.faults);
    } catch (err) {
      throw new UsageError(`--faults: ${(err as Error).message}`);
    }
  }
  const port = values.port === undefined ? 2583 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be 0..65535');
  await runDevnetCli({
    members: positiveInt('--members', values.members, 100_000),
    seed: values.seed,
    ...(groups !== undefined ? { groups } : {}),
    port,
    rateLimit: values.rate ? parseRateLimit(values.rate, '--rate') : undefined,
    searchCap: positiveInt('--search-cap', values['search-cap']),
    faults: errorRate || latencyMs || values.faults ? { ...extra, ...(errorRate ? { errorRate } : {}), ...(latencyMs ? { latencyMs } : {}) } : undefined,
    truthOut: values.truth,
    live: values.live,
  });
  // runDevnetCli keeps the server up and closes it on SIGINT/SIGTERM.
  await new Promise<void>((resolve) => process.once('beforeExit', () => resolve()));
  return 0;
}
