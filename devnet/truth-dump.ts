/**
 * Ground truth as one JSON file, for tests and benchmarks written in other languages:
 * `{ hashtag, options, rMin, searchResults, members: [did], actors: [ActorTruth], edges: [[src, dst]] }`.
 * Streamed, because a 5,000-member community has about a million edges.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Community } from './community.js';
import { groundTruth, searchResultCount, type SearchLimits } from './ground-truth.js';

export interface TruthDumpSummary {
  path: string;
  members: number;
  actors: number;
  edges: number;
  rMin: number;
}

export async function writeTruthDump(community: Community, path: string, limits: SearchLimits = {}): Promise<TruthDumpSummary> {
  const truth = groundTruth(community, limits);
  const out = createWriteStream(path, { encoding: 'utf8' });
  let buffered = '';
  const write = async (s: string): Promise<void> => {
    buffered += s;
    if (buffered.length < 1 << 16) return;
    const chunk = buffered;
    buffered = '';
    if (!out.write(chunk)) await once(out, 'drain');
  };
  const header = {
    hashtag: truth.hashtag,
    options: community.options,
    limits: { searchCap: limits.searchCap ?? null, searchPageLimit: limits.searchPageLimit ?? null, searchMatch: limits.searchMatch ?? 'loose' },
    rMin: truth.rMin,
    searchResults: searchResultCount(community, limits),
    crawler: community.crawler,
  };
  await write(`${JSON.stringify(header).slice(0, -1)},\n"members":${JSON.stringify(truth.members)},\n"actors":[`);
  let first = true;
  for (const actor of truth.actors.values()) {
    await write(`${first ? '\n' : ',\n'}${JSON.stringify(actor)}`);
    first = false;
  }
  await write('\n],\n"edges":[');
  first = true;
  for (const [src, dst] of truth.edges) {
    await write(`${first ? '\n' : ',\n'}["${src}","${dst}"]`);
    first = false;
  }
  await write('\n]}\n');
  out.end(buffered);
  await once(out, 'finish');
  return { path, members: truth.members.length, actors: truth.actors.size, edges: truth.edges.length, rMin: truth.rMin };
}
