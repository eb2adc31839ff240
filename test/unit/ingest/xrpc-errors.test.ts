import { describe, expect, it } from '@jest/globals';
import { XRPCError } from '@atproto/api';
import { isGoneAccount, transportError } from '../../../src/ingest/xrpc-errors.js';
import { XrpcBodyTooLargeError } from '../../../src/ingest/xrpc-transport.js';

describe('isGoneAccount', () => {
  it.each(['AccountDeactivated', 'AccountTakedown', 'BlockedActor', 'BlockedByActor'])('is true for the %s code', (code) => {
    expect(isGoneAccount(new XRPCError(400, code, 'whatever the server says'))).toBe(true);
  });

  it('is true for the AppView’s unknown actor (InvalidRequest "Actor not found") and the older "Profile not found"', () => {
    expect(isGoneAccount(new XRPCError(400, 'InvalidRequest', 'Actor not found: did:plc:gone'))).toBe(true);
    expect(isGoneAccount(new XRPCError(400, 'InvalidRequest', 'Profile not found'))).toBe(true);
  });

  it('is false for other InvalidRequests (our own bad parameters must fail the run)', () => {
    expect(isGoneAccount(new XRPCError(400, 'InvalidRequest', 'Params must have the property "actor"'))).toBe(false);
    expect(isGoneAccount(new XRPCError(400, 'InvalidRequest', 'limit can not be greater than 100'))).toBe(false);
    // Once matched by the old regex over the message; a code nobody documents is not evidence.
    expect(isGoneAccount(new XRPCError(404, 'NotFound', 'could not find it'))).toBe(false);
  });

  it('is false for server errors and for anything that is not an XRPCError', () => {
    expect(isGoneAccount(new XRPCError(500, 'InternalServerError', 'Actor not found'))).toBe(false);
    expect(isGoneAccount(Object.assign(new Error('Profile not found'), { status: 400, error: 'InvalidRequest' }))).toBe(false);
    expect(isGoneAccount(undefined)).toBe(false);
  });
});

describe('transportError', () => {
  it('takes our coded transport error out of the XRPCError the client wrapped it in', () => {
    const cause = new XrpcBodyTooLargeError('app.bsky.graph.getFollows', 1024);
    const wrapped = XRPCError.from(cause);
    expect(wrapped).toBeInstanceOf(XRPCError);
    expect(transportError(wrapped)).toBe(cause);
  });

  it('leaves server errors and uncoded causes as they are', () => {
    const server = new XRPCError(400, 'InvalidRequest', 'bad');
    expect(transportError(server)).toBe(server);
    const aborted = XRPCError.from(Object.assign(new Error('aborted'), { name: 'AbortError' }));
    expect(transportError(aborted)).toBe(aborted);
  });
});
