/**
 * Reading XRPC failures by their codes. `@atproto/xrpc` turns every failure into an `XRPCError`:
 * an error response keeps the server's `error` code; anything our transport threw (a coded
 * UPSTREAM_* error, a cancellation) is wrapped as `error: 'Unknown'` with the original as `cause`.
 */
import { XRPCError } from '@atproto/api';

/** Codes that say the account itself is gone or hidden from us (atproto lexicons, AppView). */
const GONE_CODES: ReadonlySet<string> = new Set([
  'AccountDeactivated',
  'AccountTakedown',
  'BlockedActor',
  'BlockedByActor',
  // A PDS's listRecords (com.atproto.repo.* and sync lexicons) for a repo it no longer serves.
  'RepoNotFound',
  'RepoDeactivated',
  'RepoTakendown',
  'RepoSuspended',
]);

/** An account whose repository cannot be found at all: no DID document, or one naming no PDS. */
export class AccountGoneError extends Error {
  constructor(did: string, why: string) {
    super(`${did}: ${why}`);
    this.name = 'AccountGoneError';
  }
}

/**
 * The AppView's getFollows throws `InvalidRequestError(\`Actor not found: ${actor}\`)` for an unknown
 * or no-longer-hosted actor (bluesky-social/atproto, packages/bsky/src/api/app/bsky/graph/getFollows.ts), and getProfile and
 * older AppViews (and our devnet) say 'Profile not found'. `InvalidRequest` is also what a malformed
 * parameter gets, which is our bug and must fail the run, so only these fixed prefixes, which name
 * no parameter, mark the account as gone. This is the one message check; every other rule is a code.
 */
const GONE_INVALID_REQUEST_PREFIXES = ['Actor not found', 'Profile not found', 'Could not find repo'];

/** The server says `actor` is deleted, deactivated, taken down or blocks us: its follows can't be read. */
export function isGoneAccount(err: unknown): boolean {
  if (err instanceof AccountGoneError) return true;
  if (!(err instanceof XRPCError)) return false;
  if (GONE_CODES.has(err.error)) return true;
  return err.error === 'InvalidRequest' && GONE_INVALID_REQUEST_PREFIXES.some((p) => err.message.startsWith(p));
}

/**
 * The error the transport raised, out of the XRPCError the client library wrapped it in, so its code
 * (UPSTREAM_BODY_TOO_LARGE, UPSTREAM_UNAVAILABLE) and its message reach the run's record.
 */
export function transportError(err: unknown): unknown {
  if (err instanceof XRPCError && err.error === 'Unknown' && typeof (err.cause as { code?: unknown } | undefined)?.code === 'string') {
    return err.cause;
  }
  return err;
}
