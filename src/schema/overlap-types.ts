/** Two hashtag communities side by side. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Actor } from './actor-types.js';

@ObjectType({ description: 'How two hashtag communities in this store overlap.' })
export class HashtagOverlap {
  @Field({ description: 'The first hashtag, lower-case, without #.' })
  a!: string;

  @Field({ description: 'The second hashtag.' })
  b!: string;

  @Field(() => Int, { description: 'Actors who posted with a.' })
  membersA!: number;

  @Field(() => Int, { description: 'Actors who posted with b.' })
  membersB!: number;

  @Field(() => Int, { description: 'Actors who posted with both hashtags.' })
  sharedMembers!: number;

  @Field(() => Float, { description: 'Shared members over members of either (0 when both are empty).' })
  jaccard!: number;

  @Field(() => Int, { description: 'FOLLOWS from a member of a to a member of b (shared members count on both sides).' })
  followsAToB!: number;

  @Field(() => Int, { description: 'FOLLOWS from a member of b to a member of a.' })
  followsBToA!: number;

  @Field(() => [Actor], { description: 'Shared members, most followed first.' })
  sharedSample!: Actor[];
}
