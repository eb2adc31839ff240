/** The live watcher as the API shows it. */
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum WatchState {
  STARTING = 'STARTING',
  RUNNING = 'RUNNING',
  WAITING = 'WAITING',
  STOPPED = 'STOPPED',
}
registerEnumType(WatchState, {
  name: 'WatchState',
  description: "What a hashtag's watcher in this server is doing.",
  valuesConfig: {
    STARTING: { description: 'Connecting and reading where to resume.' },
    RUNNING: { description: 'Folding the stream (Jetstream or the firehose) into the graph.' },
    WAITING: { description: 'An ingest holds the hashtag: changes are buffered until it ends.' },
    STOPPED: { description: 'No watcher of this hashtag runs in this server (one may run elsewhere: see the cursors).' },
  },
});

@ObjectType({ description: "A hashtag's live watcher (bsky-graph watch, or startWatch in this server)." })
export class Watch {
  @Field({ description: 'Hashtag watched, lower-case, without #.' })
  hashtag!: string;

  @Field(() => WatchState, { description: 'What the watcher in this server is doing.' })
  state!: WatchState;

  @Field(() => String, { nullable: true, description: "Event time (ISO 8601) up to which the members' stream is in the graph; null before a first batch." })
  membersCursorAt!: string | null;

  @Field(() => String, { nullable: true, description: 'Event time (ISO 8601) up to which the posts stream is in the graph.' })
  postsCursorAt!: string | null;

  @Field(() => Float, { nullable: true, description: 'Firehose sequence number up to which the firehose is in the graph; null when the firehose was never watched.' })
  firehoseSeq!: number | null;

  @Field(() => String, { nullable: true, description: 'The relay or PDS whose firehose firehoseSeq counts on.' })
  firehoseService!: string | null;

  @Field(() => String, { nullable: true, description: "Where this server's watcher reads events: jetstream or firehose; null when it is not running." })
  source!: string | null;

  @Field(() => Int, { nullable: true, description: 'Times events may have been lost upstream, so members were re-read from their repositories.' })
  gaps!: number | null;

  @Field(() => Int, { nullable: true, description: "Members followed (wantedDids); null when this server's watcher is not running." })
  members!: number | null;

  @Field(() => Int, { nullable: true, description: 'Jetstream messages received since this watcher started.' })
  messages!: number | null;

  @Field(() => Int, { nullable: true, description: 'Changes folded into the graph since this watcher started.' })
  changes!: number | null;

  @Field(() => Int, { nullable: true, description: 'Members whose follows were re-read from their repository (unknown deletes, new members).' })
  rereads!: number | null;

  @Field(() => Int, { nullable: true, description: 'Authors who became members by posting the tag.' })
  newMembers!: number | null;

  @Field(() => Float, { nullable: true, description: 'Event time to commit of the last batch, in ms.' })
  lagMs!: number | null;

  @Field(() => Float, { nullable: true, description: 'Messages folded per second over the last 10 s.' })
  messagesPerSecond!: number | null;
}
