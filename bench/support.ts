/** Shared bits of the benchmarks: a devnet in a child process, RSS sampling, JSON results. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));

export interface ChildDevnet {
  url: string;
  identifier: string;
  password: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Runs `bsky-graph devnet` in its own process, so its memory and CPU are not the crawler's. */
export async function startChildDevnet(args: string[]): Promise<ChildDevnet> {
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', 'src/cli/main.ts', 'devnet', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  const ready = await new Promise<Record<string, string>>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const env = Object.fromEntries([...out.matchAll(/^\s*(BSKY_\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
      if (env.BSKY_SERVICE && env.BSKY_APP_PASSWORD) resolve(env);
    });
    child.on('exit', (code) => reject(new Error(`devnet exited with ${code}: ${out}`)));
  });
  return {
    url: ready.BSKY_SERVICE!,
    identifier: ready.BSKY_IDENTIFIER!,
    password: ready.BSKY_APP_PASSWORD!,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout;
  constructor(intervalMs = 50) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }
  private sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
  stop(): number {
    clearInterval(this.timer);
    this.sample();
    return Math.round(this.peak / 1024 / 1024);
  }
}

export function writeResult(name: string, result: unknown): void {
  const dir = `${ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  const text = JSON.stringify(result, null, 2);
  writeFileSync(`${dir}/${name}.json`, text + '\n');
  process.stdout.write(text + '\n');
}

/** `--name N` on the command line, or `fallback` when it is absent. */
export function numberFlag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
