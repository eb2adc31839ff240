/**
 * The optional API key (config.server.apiKey). Compared in constant time over SHA-256 digests, so
 * neither the key's content nor its length leaks through response timing. The key itself is never
 * logged or echoed: only "accepted or not" leaves this module.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export class ApiKey {
  private readonly digest: Buffer | null;

  constructor(key: string | undefined) {
    this.digest = key ? sha256(key) : null;
  }

  /** Whether a key is configured at all. */
  get required(): boolean {
    return this.digest !== null;
  }

  /** True when no key is configured, or the header is `Bearer <key>`. */
  accepts(authorization: string | string[] | undefined): boolean {
    if (this.digest === null) return true;
    if (typeof authorization !== 'string') return false;
    const match = /^Bearer +(\S+)$/i.exec(authorization.trim());
    if (!match) return false;
    return timingSafeEqual(sha256(match[1]!), this.digest);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
