/** What the graph of a hashtag omits, so a researcher sees it before drawing conclusions. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Actor, type Ref } from './actor-types.js';
import { IngestRun } from './ingest-types.js';

@ObjectType({ description: "How complete a hashtag's crawled graph is." })
export class Completeness {
  @Field({ description: 'Lower-case, without #.' })
  hashtag!: string;

  @Field(() => Int, { description: 'Members (authors of posts with the tag).' })
  members!: number;

  @Field(() => Int, { description: 'Members without a profile (never fetched, or the AppView returned none).' })
  membersWithoutProfile!: number;

  @Field(() => Int, { description: 'Members whose profile gives a follows count: the ones the lists below are compared for.' })
  membersCompared!: number;

  @Field(() => Int, { description: 'Members with fewer stored follows than their profile counts.' })
  membersShort!: number;

  @Field(() => Int, { description: 'Follows stored from members (to anyone).' })
  followsListed!: number;

  @Field(() => Int, { description: 'Sum of the follows counts on members’ profiles.' })
  followsOnProfiles!: number;

  @Field(() => Int, { description: 'Follows the profiles count that the graph lacks (blocked, deleted or taken-down accounts the AppView leaves out; lists cut short).' })
  followsGap!: number;

  @Field(() => Float, { nullable: true, description: 'Share of the profiles’ follows that the graph holds (followsListed / followsOnProfiles); null when no profile gives a count.' })
  listedShare!: number | null;

  @Field(() => [Actor], { description: 'Members with the largest gaps, largest first.' })
  largestGaps!: Ref<Actor>[];

  @Field(() => IngestRun, { nullable: true, description: "The hashtag's latest ingest run: whether its search hit the result cap, its windows, follow lists it could not finish, retries." })
  lastRun!: IngestRun | null;
}
