/** Ingest runs as the API shows them, and the input that starts one. */
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { FollowsSource, IngestStage, IngestStatus } from './enums.js';

@ObjectType({ description: 'One crawl of a hashtag: its lifecycle and counters.' })
export class IngestRun {
  @Field(() => ID, { description: 'Identifier of the run; pass it to ingestRun, cancelIngest or resumeIngest.' })
  id!: string;

  @Field({ description: 'Hashtag crawled, lower-case, without #.' })
  hashtag!: string;

  @Field(() => IngestStatus, { description: 'Where the run is in its lifecycle.' })
  status!: IngestStatus;

  @Field(() => IngestStage, { description: 'Which crawl step the run is in (or stopped in).' })
  stage!: IngestStage;

  @Field(() => FollowsSource, { description: "Where the run reads members' follows." })
  followsFrom!: FollowsSource;

  @Field({ description: 'ISO 8601.' })
  startedAt!: string;

  @Field(() => String, { nullable: true, description: 'ISO 8601; null while running.' })
  finishedAt!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the run failed, for clients (no credentials or Neo4j internals); null unless FAILED.' })
  error!: string | null;

  @Field(() => Int, { nullable: true, description: 'Post limit the run was started with; null for no limit.' })
  maxPosts!: number | null;

  @Field(() => String, { nullable: true, description: 'Earliest post time the run was started with (ISO 8601); null for none.' })
  since!: string | null;

  @Field(() => String, { nullable: true, description: 'Post time the search stops before (ISO 8601); null for none.' })
  until!: string | null;

  @Field(() => Int, { description: 'XRPC requests issued.' })
  requests!: number;

  @Field(() => Int, { description: 'XRPC requests retried after a transient failure.' })
  retries!: number;

  @Field(() => Int, { description: 'Times the crawler waited for the rate-limit budget.' })
  waits!: number;

  @Field(() => Int, { description: 'Pages of post search results read.' })
  searchPages!: number;

  @Field(() => Int, { description: "Search windows: the search moves `until` back each time the service's result cap ends a window." })
  searchWindows!: number;

  @Field({ description: "Whether the search hit the service's result cap (more than one window): older posts were reached by moving `until` back." })
  searchCapHit!: boolean;

  @Field(() => Int, { description: 'Members whose follow list could not be read to the end (errors skipped; their stored follows were kept).' })
  incompleteFollowLists!: number;

  @Field(() => Int, { description: 'Posts found that carry the hashtag.' })
  posts!: number;

  @Field(() => Int, { description: 'Distinct authors of those posts (members of the hashtag).' })
  members!: number;

  @Field(() => Int, { description: 'Members whose follows are fully crawled.' })
  membersDone!: number;

  @Field(() => Int, { description: 'Profiles fetched.' })
  profiles!: number;

  @Field(() => Int, { description: 'Members and everyone they follow, when the run finished.' })
  actors!: number;

  @Field(() => Int, { description: 'FOLLOWS edges written (the stored total once the run finished).' })
  follows!: number;

  @Field(() => Float, { nullable: true, description: 'Share of members whose follows are crawled (membersDone / members), 0..1; null before members are known.' })
  progress!: number | null;

  @Field(() => Int, { description: 'Members this run removed at its end (they no longer post the tag).' })
  removedMembers!: number;

  @Field(() => Int, { description: 'Follows this run removed at its end: unfollows of completely read members, and the lists of members who left every hashtag.' })
  removedFollows!: number;
}

@InputType({ description: 'What to crawl: a hashtag and optional limits on the post search.' })
export class IngestInput {
  @Field({ description: 'With or without #; case-insensitive.' })
  hashtag!: string;

  @Field(() => Int, { nullable: true, description: 'Stop the search after this many posts.' })
  maxPosts?: number | null;

  @Field(() => String, { nullable: true, description: 'Only posts at or after this ISO 8601 time.' })
  since?: string | null;

  @Field(() => String, { nullable: true, description: 'Only posts before this ISO 8601 time.' })
  until?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Allow this run to remove more than INGEST_MAX_SHRINK (default 50%) of the community\'s members or follows; otherwise such a run fails before deleting anything.',
  })
  allowShrink?: boolean | null;

  @Field(() => FollowsSource, { nullable: true, description: "Where to read members' follows; default the server's BSKY_FOLLOWS_FROM. A resumed run keeps its choice." })
  followsFrom?: FollowsSource | null;
}
