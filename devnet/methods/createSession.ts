/** com.atproto.server.createSession: the one seeded account, by handle or DID. */
import { XrpcError, invalidRequest } from '../xrpc-error.js';
import type { XrpcMethod } from './context.js';
import { accountFields } from './session-output.js';

export const createSession: XrpcMethod = {
  nsid: 'com.atproto.server.createSession',
  type: 'procedure',
  auth: 'none',
  handle(ctx) {
    const body = (ctx.body ?? {}) as { identifier?: unknown; password?: unknown };
    if (typeof body.identifier !== 'string') throw invalidRequest('Input must have the property "identifier"');
    if (typeof body.password !== 'string') throw invalidRequest('Input must have the property "password"');
    const id = body.identifier.replace(/^@/, '').toLowerCase();
    const known = id === ctx.account.handle.toLowerCase() || id === ctx.account.did;
    if (!known || body.password !== ctx.config.password) {
      throw new XrpcError(401, 'AuthenticationRequired', 'Invalid identifier or password');
    }
    return { ...ctx.config.tokens.mint(ctx.account.did), ...accountFields(ctx) };
  },
};
