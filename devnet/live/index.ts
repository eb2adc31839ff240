/** The living devnet: a community that changes, its Jetstream, and its repos. */
export { LiveCommunity, type LiveActor, type LiveCommunityOptions, type LiveStatus, type Mutation, type MutationOp, type ProfileEdit } from './live-community.js';
export { liveTruth, type LiveActorTruth, type LiveEdge, type LiveTruth } from './live-truth.js';
export { randomMutations } from './random-mutations.js';
export type { FollowRecord } from './follow-records.js';
export type { AccountEvent, AccountStatus, CommitEvent, IdentityEvent, JetstreamEvent } from './jetstream-events.js';
export { FOLLOW_COLLECTION, POST_COLLECTION, PROFILE_COLLECTION } from './jetstream-events.js';
export type { EventLog } from './event-log.js';
export type { JetstreamFaults } from './jetstream-faults.js';
export type { JetstreamStats } from './jetstream-server.js';
export { didDocument, type DidDocument } from './did-document.js';
