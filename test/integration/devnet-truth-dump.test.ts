import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCommunity, groundTruth, runDevnetCli, writeTruthDump } from '../../devnet/index.js';

describe('writeTruthDump', () => {
  it('writes members, actors and edges as plain JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'devnet-truth-'));
    try {
      const community = generateCommunity({ members: 60, seed: 5 });
      const path = join(dir, 'truth.json');
      const summary = await writeTruthDump(community, path, { searchCap: 250 });
      const dump = JSON.parse(readFileSync(path, 'utf8')) as {
        hashtag: string;
        rMin: number;
        members: string[];
        actors: Array<{ did: string }>;
        edges: Array<[string, string]>;
      };
      const truth = groundTruth(community, { searchCap: 250 });
      expect(dump.hashtag).toBe('databs');
      expect(dump.rMin).toBe(truth.rMin);
      expect(dump.members).toEqual(truth.members);
      expect(dump.actors.map((a) => a.did)).toEqual([...truth.actors.keys()]);
      expect(dump.edges).toEqual([...truth.edges]);
      expect(summary.edges).toBe(dump.edges.length);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runDevnetCli', () => {
  it('prints the URL and the crawler credentials', async () => {
    const lines: string[] = [];
    const devnet = await runDevnetCli({ members: 30, seed: 2, port: 0, print: (l) => lines.push(l), handleSignals: false });
    try {
      const out = lines.join('\n');
      expect(out).toContain(devnet.url);
      expect(out).toContain('BSKY_IDENTIFIER=crawler.devnet.test');
      expect(out).toContain('BSKY_APP_PASSWORD=devnet-app-password');
    } finally {
      await devnet.close();
    }
  });
});
