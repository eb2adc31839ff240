/**
 * AT Protocol identifiers in their real syntax, so responses pass the lexicon validation that
 * `@atproto/api` applies to every output (did, at-uri, record key, cid formats).
 */
import { createHash } from 'node:crypto';
import type { Rng } from './prng.js';

const BASE32_LOWER = 'abcdefghijklmnopqrstuvwxyz234567';
const BASE32_SORTABLE = '234567abcdefghijklmnopqrstuvwxyz';

/** `did:plc:` + 24 base32 characters, the shape of real PLC identifiers. */
export function plcDid(rng: Rng): string {
  let id = '';
  for (let i = 0; i < 24; i++) id += BASE32_LOWER[Math.floor(rng() * 32)];
  return `did:plc:${id}`;
}

/**
 * A TID record key (13 chars, base32-sortable): microseconds since epoch and a clock id, the
 * way PDSes mint `app.bsky.feed.post` rkeys, so rkeys sort like their creation time.
 */
export function tid(timestampMs: number, clockId: number): string {
  return tidMicros(Math.floor(timestampMs) * 1000, clockId);
}

/** The same TID from a microsecond timestamp (Jetstream's `time_us`), so live rkeys never collide. */
export function tidMicros(timestampUs: number, clockId: number): string {
  let n = BigInt(Math.floor(timestampUs)) << 10n;
  n |= BigInt(clockId & 0x3ff);
  let out = '';
  for (let i = 0; i < 13; i++) {
    out = BASE32_SORTABLE[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}

/** RFC 4648 base32, lower case, no padding (the multibase 'b' alphabet). */
function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32_LOWER[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += BASE32_LOWER[(buffer << (5 - bits)) & 31];
  return out;
}

/**
 * CIDv1, dag-cbor codec, sha2-256 of `content` ("bafyrei…" like real record CIDs). The content
 * is our JSON, not the record's DAG-CBOR bytes, so the CID is well-formed but not verifiable.
 */
export function recordCid(content: string): string {
  const digest = createHash('sha256').update(content).digest();
  const bytes = new Uint8Array(4 + digest.length);
  bytes.set([0x01, 0x71, 0x12, 0x20]);
  bytes.set(digest, 4);
  return `b${base32(bytes)}`;
}

/** Same shape for raw blobs (codec 0x55), used in placeholder avatar URLs ("bafkrei…"). */
export function blobCid(content: string): string {
  const digest = createHash('sha256').update(content).digest();
  const bytes = new Uint8Array(4 + digest.length);
  bytes.set([0x01, 0x55, 0x12, 0x20]);
  bytes.set(digest, 4);
  return `b${base32(bytes)}`;
}
