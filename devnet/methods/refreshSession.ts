/** com.atproto.server.refreshSession: refresh token in, fresh pair out. */
import { XrpcError } from '../xrpc-error.js';
import type { XrpcMethod } from './context.js';
import { accountFields } from './session-output.js';

export const refreshSession: XrpcMethod = {
  nsid: 'com.atproto.server.refreshSession',
  type: 'procedure',
  auth: 'refresh',
  handle(ctx) {
    if (ctx.viewer !== ctx.account.did) throw new XrpcError(400, 'InvalidToken', 'Token could not be verified');
    return { ...ctx.config.tokens.mint(ctx.account.did), ...accountFields(ctx) };
  },
};
