import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { USAGE } from '../../../src/cli/usage-error.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The `bsky-graph …` lines of the README's "Command line" block. */
function readmeSynopses(): string[] {
  const section = README.slice(README.indexOf('## Command line'));
  const block = /```\n([\s\S]*?)```/.exec(section)![1]!;
  return block.split('\n').filter((line) => line.startsWith('bsky-graph ')).map((line) => line.slice('bsky-graph '.length));
}

describe('usage text', () => {
  it('lists every command exactly as the README does', () => {
    const synopses = readmeSynopses();
    expect(synopses.length).toBeGreaterThanOrEqual(6);
    const usageLines = USAGE.split('\n').filter((line) => /^ {2}\S/.test(line)).map((line) => line.trim());
    expect(usageLines).toEqual(synopses);
  });
});
