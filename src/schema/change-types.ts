/** What subscriptions push: changes of a hashtag's graph. */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { FollowEdge } from './graph-types.js';

export enum GraphChangeKind {
  FOLLOWS = 'FOLLOWS',
  INGEST_FINISHED = 'INGEST_FINISHED',
}
registerEnumType(GraphChangeKind, {
  name: 'GraphChangeKind',
  description: 'What changed the graph.',
  valuesConfig: {
    FOLLOWS: { description: 'The watcher committed follows and new members from the stream (the edges are listed).' },
    INGEST_FINISHED: { description: 'An ingest of the hashtag ended (see runId): anything may have changed; read the graph again.' },
  },
});

@ObjectType({ description: "A change of a hashtag's graph, pushed as it is committed." })
export class GraphChange {
  @Field({ description: 'Lower-case, without #.' })
  hashtag!: string;

  @Field(() => GraphChangeKind, { description: 'What changed the graph.' })
  kind!: GraphChangeKind;

  @Field(() => [FollowEdge], { description: 'FOLLOWS created (kind FOLLOWS).' })
  followsAdded!: FollowEdge[];

  @Field(() => [FollowEdge], { description: 'FOLLOWS deleted (kind FOLLOWS).' })
  followsRemoved!: FollowEdge[];

  @Field(() => [ID], { description: 'DIDs of actors who became members (their profile and follows follow in later changes).' })
  newMembers!: string[];

  @Field(() => ID, { nullable: true, description: 'The ingest run that ended (kind INGEST_FINISHED).' })
  runId!: string | null;

  @Field({ description: 'When it was committed (ISO 8601).' })
  committedAt!: string;
}
