/** Ingest progress: a bar on a terminal, a log line every few seconds otherwise. */
import cliProgress from 'cli-progress';
import type { IngestCounters, IngestStage } from '../core/ingest-run.js';

export interface ProgressReporter {
  update(counters: IngestCounters, stage: IngestStage): void;
  stop(): void;
}

export function createProgressReporter(interactive: boolean, write: (line: string) => void = (l) => process.stderr.write(l + '\n')): ProgressReporter {
  if (interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: '{stage} [{bar}] {value}/{total} members | {follows} follows | {requests} req | {retries} retries | {waits} waits',
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(0, 0, { stage: 'SEARCH', follows: 0, requests: 0, retries: 0, waits: 0 });
    return {
      update: (c, stage) => {
        bar.setTotal(Math.max(c.members, 1));
        bar.update(c.membersDone, { stage: stage.padEnd(8), follows: c.follows, requests: c.requests, retries: c.retries, waits: c.waits });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update: (c, stage) => {
      const now = Date.now();
      if (now - last < 5_000 && stage !== 'DONE') return;
      last = now;
      write(`ingest ${stage}: members ${c.membersDone}/${c.members}, follows ${c.follows}, requests ${c.requests}, retries ${c.retries}, waits ${c.waits}`);
    },
    stop: () => undefined,
  };
}
