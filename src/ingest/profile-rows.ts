/** Bluesky's profile views as the rows the ingest writes: a follow target, or a member's full profile. */
import type { AppBskyActorDefs } from '@atproto/api';
import type { ProfileRow, TargetRow } from '../graph/ingest-writes.js';

/** The fields every profile view has (ProfileView, ProfileViewDetailed). */
type ProfileBasics = Pick<AppBskyActorDefs.ProfileView, 'did' | 'handle' | 'displayName' | 'description' | 'avatar' | 'createdAt'>;

export function toTarget(p: ProfileBasics): TargetRow {
  return {
    did: p.did,
    handle: p.handle,
    displayName: p.displayName ?? null,
    description: p.description ?? null,
    avatar: p.avatar ?? null,
    createdAt: p.createdAt ?? null,
  };
}

/** A detailed view adds the counts that only getProfiles returns. */
export function toProfile(p: AppBskyActorDefs.ProfileViewDetailed): ProfileRow {
  return {
    ...toTarget(p),
    postsCount: p.postsCount ?? null,
    followersCount: p.followersCount ?? null,
    followsCount: p.followsCount ?? null,
  };
}
