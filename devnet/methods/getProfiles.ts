/** app.bsky.actor.getProfiles: up to 25 handles or DIDs; unknown actors are left out silently. */
import { MAX_PROFILES_PER_CALL } from '../ground-truth.js';
import { invalidRequest } from '../xrpc-error.js';
import { profileViewDetailed } from '../views.js';
import type { XrpcMethod } from './context.js';

export const getProfiles: XrpcMethod = {
  nsid: 'app.bsky.actor.getProfiles',
  type: 'query',
  auth: 'read',
  handle(ctx) {
    // skeleton
    const requested = ctx.params.getAll('actors').filter((a) => a !== '');
    if (requested.length === 0) throw invalidRequest('Error: Params must have the property "actors"');
    if (requested.length > MAX_PROFILES_PER_CALL) {
      throw invalidRequest(`Error: Params/actors must not have more than ${MAX_PROFILES_PER_CALL} elements`);
    }
    // hydration + rules: unknown and inactive actors drop out, duplicates collapse
    const seen = new Set<string>();
    const profiles = [];
    for (const id of requested) {
      const actor = ctx.state.resolve(id);
      if (!actor || seen.has(actor.did) || ctx.state.status(actor.did)) continue;
      seen.add(actor.did);
      profiles.push(profileViewDetailed(actor));
    }
    return { profiles };
  },
};
