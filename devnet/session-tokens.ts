/**
 * Session tokens shaped like the PDS's (HS256 JWTs with `scope`, `sub`, `aud`, `exp`), signed
 * with a per-server secret. Access tokens expire quickly so crawlers have to refresh.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const ACCESS_SCOPE = 'com.atproto.access';
export const REFRESH_SCOPE = 'com.atproto.refresh';

export interface TokenPayload {
  scope: string;
  sub: string;
  aud: string;
  iat: number;
  exp: number;
  jti?: string;
}

export type TokenCheck =
  | { ok: true; payload: TokenPayload }
  | { ok: false; reason: 'expired' | 'invalid' };

function b64url(input: string | Buffer): string {
  return Buffer.from(input).toString('base64url');
}

export class SessionTokens {
  private readonly secret = randomBytes(32);
  private counter = 0;

  constructor(
    readonly serviceDid: string,
    readonly accessTtlSec: number,
    readonly refreshTtlSec: number,
  ) {}

  private sign(header: object, payload: TokenPayload): string {
    const body = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    return `${body}.${createHmac('sha256', this.secret).update(body).digest('base64url')}`;
  }

  mint(did: string, nowMs: number = Date.now()): { accessJwt: string; refreshJwt: string } {
    const iat = Math.floor(nowMs / 1000);
    // Rounded up: a token lives at least accessTtlSec, even when that is 1 s in a test.
    const accessExp = Math.ceil((nowMs + this.accessTtlSec * 1000) / 1000);
    const refreshExp = Math.ceil((nowMs + this.refreshTtlSec * 1000) / 1000);
    const jti = `${iat.toString(36)}${(this.counter++).toString(36)}${randomBytes(6).toString('hex')}`;
    return {
      accessJwt: this.sign({ typ: 'at+jwt', alg: 'HS256' }, { scope: ACCESS_SCOPE, sub: did, aud: this.serviceDid, iat, exp: accessExp }),
      refreshJwt: this.sign({ typ: 'refresh+jwt', alg: 'HS256' }, { scope: REFRESH_SCOPE, sub: did, aud: this.serviceDid, iat, exp: refreshExp, jti }),
    };
  }

  verify(token: string, scope: string, nowMs: number = Date.now()): TokenCheck {
    const parts = token.split('.');
    if (parts.length !== 3) return { ok: false, reason: 'invalid' };
    const [header, payload, signature] = parts as [string, string, string];
    const expected = createHmac('sha256', this.secret).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
    let parsed: TokenPayload;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenPayload;
    } catch {
      return { ok: false, reason: 'invalid' };
    }
    if (parsed.scope !== scope) return { ok: false, reason: 'invalid' };
    if (nowMs >= parsed.exp * 1000) return { ok: false, reason: 'expired' };
    return { ok: true, payload: parsed };
  }
}
