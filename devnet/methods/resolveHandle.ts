/** com.atproto.identity.resolveHandle: current handles only (a renamed handle stops resolving). */
import { invalidRequest } from '../xrpc-error.js';
import type { XrpcMethod } from './context.js';
import { requiredString } from './params.js';

export const resolveHandle: XrpcMethod = {
  nsid: 'com.atproto.identity.resolveHandle',
  type: 'query',
  auth: 'none',
  handle(ctx) {
    const handle = requiredString(ctx.params, 'handle');
    const actor = handle.startsWith('did:') ? undefined : ctx.state.resolve(handle);
    if (!actor) throw invalidRequest('Unable to resolve handle');
    return { did: actor.did };
  },
};
