/**
 * Writes a stream of text pieces to a file with back-pressure: `pipeline` pulls the next piece only when
 * the file stream has room, so a slow disk pauses the Neo4j read instead of filling memory. Pieces are
 * coalesced into ~64 KiB chunks, which is what makes a million small rows cheap to write.
 */
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';

const CHUNK_CHARS = 64 * 1024;

export async function writeTextFile(path: string, pieces: AsyncIterable<string>): Promise<{ bytes: number }> {
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    let pending = '';
    for await (const piece of pieces) {
      pending += piece;
      if (pending.length >= CHUNK_CHARS) {
        const chunk = Buffer.from(pending, 'utf8');
        bytes += chunk.length;
        pending = '';
        yield chunk;
      }
    }
    if (pending) {
      const chunk = Buffer.from(pending, 'utf8');
      bytes += chunk.length;
      yield chunk;
    }
  }
  // 'wx': never overwrite; every export writes a file named after a fresh random id.
  await pipeline(chunks, createWriteStream(path, { flags: 'wx' }));
  return { bytes };
}
