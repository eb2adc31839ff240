/** app.bsky.actor.getProfile */
import { invalidRequest } from '../xrpc-error.js';
import { profileViewDetailed } from '../views.js';
import type { XrpcMethod } from './context.js';
import { assertActive } from './account-status.js';
import { requiredString } from './params.js';

export const getProfile: XrpcMethod = {
  nsid: 'app.bsky.actor.getProfile',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    const actor = ctx.state.resolve(requiredString(ctx.params, 'actor'));
    if (!actor) throw invalidRequest('Profile not found');
    assertActive(ctx.state, actor);
    return profileViewDetailed(actor);
  },
};
