import { describe, expect, it } from '@jest/globals';
import { bucketStart, growthSeries } from '../../../src/core/time-buckets.js';

describe('bucketStart', () => {
  it('maps a day to its day, ISO week (Monday) and month', () => {
    expect(bucketStart('2026-12-02', 'DAY')).toBe('2026-12-02');
    expect(bucketStart('2026-12-02', 'WEEK')).toBe('2026-11-30'); // a Wednesday
    expect(bucketStart('2026-11-30', 'WEEK')).toBe('2026-11-30'); // a Monday is its own week
    expect(bucketStart('2026-12-06', 'WEEK')).toBe('2026-11-30'); // Sunday ends it
    expect(bucketStart('2027-01-01', 'WEEK')).toBe('2026-12-28'); // across the new year
    expect(bucketStart('2024-02-29', 'MONTH')).toBe('2024-02-01');
  });

  it('refuses what is not a calendar day', () => {
    for (const day of ['2026-02-30', '2025-02-29', '2026-13-01', 'garbage', '', null, undefined, '2026-1-1']) expect(bucketStart(day, 'DAY')).toBeNull();
  });
});

describe('growthSeries', () => {
  it('sums days into buckets with running totals and counts the undated apart', () => {
    const s = growthSeries(
      [
        { day: '2026-11-30', count: 2 },
        { day: '2026-12-01', count: 1 },
        { day: null, count: 4 },
        { day: '2026-12-08', count: 3 },
      ],
      [
        { day: '2026-12-09', count: 5 },
        { day: 'bad', count: 1 },
      ],
      'WEEK',
    );
    expect(s).toEqual({
      buckets: [
        { start: '2026-11-30', newMembers: 3, members: 3, newFollows: 0, follows: 0 },
        { start: '2026-12-07', newMembers: 3, members: 6, newFollows: 5, follows: 5 },
      ],
      undatedMembers: 4,
      undatedFollows: 1,
    });
  });
});
