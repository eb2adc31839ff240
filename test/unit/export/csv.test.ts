import { describe, expect, it } from '@jest/globals';
import { csvCell, csvRow } from '../../../src/export/csv.js';
import { columnsFor } from '../../../src/export/csv-columns.js';
import type { FollowRow } from '../../../src/graph/export-queries.js';
import { parseCsv } from '../../support/analytics-csv.js';

describe('csvCell', () => {
  const table: Array<[string, Parameters<typeof csvCell>[0], string]> = [
    ['plain text', 'alice.bsky.social', 'alice.bsky.social'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['integer', 1234, '1234'],
    ['zero', 0, '0'],
    ['NaN', Number.NaN, ''],
    ['comma', 'a,b', '"a,b"'],
    ['quote', 'say "hi"', '"say ""hi"""'],
    ['LF', 'line1\nline2', '"line1\nline2"'],
    ['CRLF', 'line1\r\nline2', '"line1\r\nline2"'],
    ['formula =', '=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['formula +', '+1+1', "'+1+1"],
    ['formula -', '-2+3', "'-2+3"],
    ['formula @', '@SUM(A1)', "'@SUM(A1)"],
    ['formula TAB', '\tcmd', "'\tcmd"],
    ['formula CR', '\rcmd', `"'\rcmd"`],
    ['= later in the text is harmless', 'a=b', 'a=b'],
    ['apostrophe start is left alone', "'quoted", "'quoted"],
    ['handle', 'x-y.bsky.social', 'x-y.bsky.social'],
    ['did', 'did:plc:abc123', 'did:plc:abc123'],
    ['url', 'https://cdn.example/a.jpg?x=1&y=2', 'https://cdn.example/a.jpg?x=1&y=2'],
    ['unicode', 'Zoë 🦋', 'Zoë 🦋'],
  ];
  it.each(table)('%s', (_name, input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe('csvRow', () => {
  it('joins with commas, ends with CRLF and reads back', () => {
    const values = ['a,b', 'q"q', 'multi\nline', 5, null, '=1+2'];
    const line = csvRow(values);
    expect(line.endsWith('\r\n')).toBe(true);
    expect(parseCsv(line)).toEqual([['a,b', 'q"q', 'multi\nline', '5', '', "'=1+2"]]);
  });
});

describe('columnsFor', () => {
  const row: FollowRow = {
    sourceDid: 'did:plc:s',
    sourceHandle: 's.test',
    sourceAvatar: 'https://img/s',
    sourcePostsCount: 3,
    sourceFollowersCount: 4,
    sourceFollowsCount: 5,
    targetDid: 'did:plc:t',
    targetHandle: null,
    targetDisplayName: 'Tee',
    targetAvatar: null,
    targetPostsCount: null,
    targetFollowersCount: 9,
    targetFollowsCount: null,
  };

  it('has exactly the default columns researchers load', () => {
    expect(columnsFor().map((c) => c.name).join(',')).toBe('source,target,source_avatar_url,source_posts_count,source_followers_count,source_follows_count');
  });

  it('appends extras in a fixed order whatever order they were asked in', () => {
    const names = columnsFor(['target_profile', 'dids']).map((c) => c.name);
    expect(names.slice(6)).toEqual(['source_did', 'target_did', 'target_display_name', 'target_avatar_url', 'target_posts_count', 'target_followers_count', 'target_follows_count']);
  });

  it('falls back to the DID when a handle is missing', () => {
    expect(columnsFor(['dids', 'target_profile']).map((c) => c.value(row))).toEqual([
      's.test',
      'did:plc:t',
      'https://img/s',
      3,
      4,
      5,
      'did:plc:s',
      'did:plc:t',
      'Tee',
      null,
      null,
      9,
      null,
    ]);
  });
});
