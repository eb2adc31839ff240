/**
 * The CSV export's columns. The default six are the ones community researchers already load into
 * their visualisers; extras come after them, always in this order (dids, then target_profile), whatever
 * order they were asked in. A handle missing from the graph falls back to the DID, so no edge loses an end.
 */
import type { CsvValue } from './csv.js';
import type { FollowRow } from '../graph/export-queries.js';

export type ExtraColumnSet = 'dids' | 'target_profile';
export const EXTRA_COLUMN_SETS: readonly ExtraColumnSet[] = ['dids', 'target_profile'];

export interface CsvColumn {
  readonly name: string;
  value(row: FollowRow): CsvValue;
}

export const DEFAULT_COLUMNS: readonly CsvColumn[] = [
  { name: 'source', value: (r) => r.sourceHandle ?? r.sourceDid },
  { name: 'target', value: (r) => r.targetHandle ?? r.targetDid },
  { name: 'source_avatar_url', value: (r) => r.sourceAvatar },
  { name: 'source_posts_count', value: (r) => r.sourcePostsCount },
  { name: 'source_followers_count', value: (r) => r.sourceFollowersCount },
  { name: 'source_follows_count', value: (r) => r.sourceFollowsCount },
];

const EXTRA_COLUMNS: Record<ExtraColumnSet, readonly CsvColumn[]> = {
  dids: [
    { name: 'source_did', value: (r) => r.sourceDid },
    { name: 'target_did', value: (r) => r.targetDid },
  ],
  target_profile: [
    { name: 'target_display_name', value: (r) => r.targetDisplayName },
    { name: 'target_avatar_url', value: (r) => r.targetAvatar },
    { name: 'target_posts_count', value: (r) => r.targetPostsCount },
    { name: 'target_followers_count', value: (r) => r.targetFollowersCount },
    { name: 'target_follows_count', value: (r) => r.targetFollowsCount },
  ],
};

export function columnsFor(extras: readonly ExtraColumnSet[] = []): CsvColumn[] {
  return [...DEFAULT_COLUMNS, ...EXTRA_COLUMN_SETS.filter((set) => extras.includes(set)).flatMap((set) => EXTRA_COLUMNS[set])];
}
