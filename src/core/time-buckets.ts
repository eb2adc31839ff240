/**
 * Calendar buckets for growth series: a UTC day ('YYYY-MM-DD') mapped to the start of its DAY, WEEK
 * (ISO weeks, from Monday) or MONTH. Days come from stored timestamps, some written by other
 * people's software (a follow record's createdAt): anything that is not a real calendar day is
 * reported as undated, never guessed.
 */
export const GROWTH_INTERVALS = ['DAY', 'WEEK', 'MONTH'] as const;
export type GrowthInterval = (typeof GROWTH_INTERVALS)[number];

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The bucket start ('YYYY-MM-DD') of a day, or null when `day` is not a calendar day. */
export function bucketStart(day: string | null | undefined, interval: GrowthInterval): string | null {
  const m = day ? DAY.exec(day) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  // Date.UTC rolls 2026-02-30 over into March: such a day is not one.
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  if (interval === 'MONTH') date.setUTCDate(1);
  if (interval === 'WEEK') date.setUTCDate(d - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

export interface DayCount {
  readonly day: string | null;
  readonly count: number;
}

export interface GrowthBucketCounts {
  readonly start: string;
  readonly newMembers: number;
  readonly members: number;
  readonly newFollows: number;
  readonly follows: number;
}

export interface GrowthSeries {
  readonly buckets: GrowthBucketCounts[];
  readonly undatedMembers: number;
  readonly undatedFollows: number;
}

/** Per-day counts → buckets in time order with running totals (buckets with no change omitted). */
export function growthSeries(memberDays: readonly DayCount[], followDays: readonly DayCount[], interval: GrowthInterval): GrowthSeries {
  const buckets = new Map<string, { newMembers: number; newFollows: number }>();
  const add = (days: readonly DayCount[], key: 'newMembers' | 'newFollows'): number => {
    let undated = 0;
    for (const { day, count } of days) {
      const start = bucketStart(day, interval);
      if (start === null) {
        undated += count;
        continue;
      }
      const b = buckets.get(start) ?? { newMembers: 0, newFollows: 0 };
      b[key] += count;
      buckets.set(start, b);
    }
    return undated;
  };
  const undatedMembers = add(memberDays, 'newMembers');
  const undatedFollows = add(followDays, 'newFollows');
  let members = 0;
  let follows = 0;
  const series = [...buckets].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([start, b]) => {
    members += b.newMembers;
    follows += b.newFollows;
    return { start, newMembers: b.newMembers, members, newFollows: b.newFollows, follows };
  });
  return { buckets: series, undatedMembers, undatedFollows };
}
