/**
 * What a failed run tells its clients (GraphQL `ingestRuns.error`, the CLI summary). Errors the
 * crawler raises on purpose carry a code and a message written for users, and pass as they are.
 * Anything else (a Neo4j error, a bug) may hold the sign-in identifier, Cypher or server internals:
 * clients get its kind and where to look; the full message goes to the log only.
 */

/** Codes whose messages name only methods, limits, counts and configuration variables. */
const USER_FACING = new Set(['SHRINK_REFUSED', 'LEASE_LOST', 'UPSTREAM_BODY_TOO_LARGE', 'UPSTREAM_UNAVAILABLE', 'BAD_USER_INPUT']);

export function publicRunError(err: unknown, runId: string): string {
  const e = err as { code?: unknown; name?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (USER_FACING.has(code) || e.name === 'TimeoutError') return message;
  if (code === 'UNAUTHENTICATED') {
    return 'sign-in to the Bluesky service was refused or failed: check BSKY_SERVICE, BSKY_IDENTIFIER and BSKY_APP_PASSWORD (details in the server log)';
  }
  if (code.startsWith('Neo.') || /Neo4j/i.test(message)) {
    return `Neo4j failed during the run (details in the server log under run ${runId}); resume it once Neo4j is healthy`;
  }
  const kind = typeof e.name === 'string' && /^[A-Za-z]{1,40}$/.test(e.name) ? e.name : 'Error';
  return `the run failed with an unexpected ${kind} (details in the server log under run ${runId})`;
}
