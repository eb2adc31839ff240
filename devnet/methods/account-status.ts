/** How the AppView answers for an account that exists but is not active (live devnets). */
import type { DevnetActor } from '../community.js';
import type { CommunityState } from '../devnet-state.js';
import { XrpcError } from '../xrpc-error.js';

export function assertActive(state: CommunityState, actor: DevnetActor): void {
  const status = state.status(actor.did);
  if (status === 'deactivated') throw new XrpcError(400, 'AccountDeactivated', 'Account is deactivated');
  if (status === 'takendown') throw new XrpcError(400, 'AccountTakedown', 'Account has been taken down');
  if (status === 'deleted') throw new XrpcError(400, 'InvalidRequest', 'Profile not found');
}
