/**
 * Hashtag syntax as Bluesky's tag facets allow it: no whitespace, no '#', at most 64 graphemes;
 * we also refuse punctuation that cannot be part of a tag token in post text.
 */
import { CodedError } from './errors.js';

export class HashtagError extends CodedError {
  readonly code = 'BAD_USER_INPUT';
}

const TAG = /^[\p{L}\p{N}_][\p{L}\p{N}_\p{M}-]{0,63}$/u;

/** `#DataBS` → `databs`; throws HashtagError with a message fit for a user. */
export function normaliseHashtag(input: string): string {
  const raw = input.trim().replace(/^#/, '');
  if (raw === '') throw new HashtagError('hashtag is empty');
  if (!TAG.test(raw)) {
    throw new HashtagError(`"${input.slice(0, 80)}" is not a hashtag (letters, digits, _ and -, at most 64, no spaces)`);
  }
  if (/^\d+$/.test(raw)) throw new HashtagError(`"${input}" is not a hashtag (all digits)`);
  return raw.toLowerCase();
}
