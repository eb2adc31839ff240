/** Ingest runs as the API shows them, and the input that starts one. */
import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { IngestStage, IngestStatus } from './enums.js';

@ObjectType({ description: 'One crawl of a hashtag: its lifecycle and counters.' })
export class IngestRun {
  @Field(() => ID)
  id!: string;

  @Field()
  hashtag!: string;

  @Field(() => IngestStatus)
  status!: IngestStatus;

  @Field(() => IngestStage)
  stage!: IngestStage;

  @Field({ description: 'ISO 8601.' })
  startedAt!: string;

  @Field(() => String, { nullable: true, description: 'ISO 8601; null while running.' })
  finishedAt!: string | null;

  @Field(() => String, { nullable: true })
  error!: string | null;

  @Field(() => Int, { nullable: true })
  maxPosts!: number | null;

  @Field(() => String, { nullable: true })
  since!: string | null;

  @Field(() => String, { nullable: true })
  until!: string | null;

  @Field(() => Int, { description: 'XRPC requests issued.' })
  requests!: number;

  @Field(() => Int)
  retries!: number;

  @Field(() => Int, { description: 'Times the crawler waited for the rate-limit budget.' })
  waits!: number;

  @Field(() => Int)
  searchPages!: number;

  @Field(() => Int)
  posts!: number;

  @Field(() => Int)
  members!: number;

  @Field(() => Int, { description: 'Members whose follows are fully crawled.' })
  membersDone!: number;

  @Field(() => Int)
  profiles!: number;

  @Field(() => Int)
  actors!: number;

  @Field(() => Int)
  follows!: number;

  @Field(() => Float, { nullable: true, description: 'membersDone / members, 0..1; null before members are known.' })
  progress!: number | null;

  @Field(() => Int, { description: 'Members this run removed at its end (they no longer post the tag).' })
  removedMembers!: number;

  @Field(() => Int, { description: 'Follows this run removed at its end: unfollows of completely read members, and the lists of members who left every hashtag.' })
  removedFollows!: number;
}

@InputType()
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
}
