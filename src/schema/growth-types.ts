/** A hashtag community's growth over time: members by first tagged post, follows by record date. */
import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'One bucket of a growth series; totals run from the first bucket. Members are dated by their first post with the tag, FOLLOWS among current members by the follow record createdAt (see GrowthCoverage for what cannot be dated). Buckets without a change are left out.',
})
export class GrowthPoint {
  @Field({ description: 'First day of the bucket, YYYY-MM-DD (UTC).' })
  start!: string;

  @Field(() => Int, { description: 'Members whose first post with the hashtag falls in the bucket.' })
  newMembers!: number;

  @Field(() => Int, { description: 'Dated members up to the end of the bucket.' })
  members!: number;

  @Field(() => Int, { description: 'FOLLOWS among current members whose follow record was created in the bucket.' })
  newFollows!: number;

  @Field(() => Int, { description: 'Dated FOLLOWS among current members up to the end of the bucket.' })
  follows!: number;
}

@ObjectType({
  description:
    'What a growth series can and cannot place in time. createdAt is known for edges read as records (BSKY_FOLLOWS_FROM=repo, the watcher) and not for edges crawled through the AppView.',
})
export class GrowthCoverage {
  @Field({ description: 'Lower-case, without #.' })
  hashtag!: string;

  @Field(() => Int, { description: 'Members with a first-post time.' })
  datedMembers!: number;

  @Field(() => Int, { description: 'Members without a first-post time.' })
  undatedMembers!: number;

  @Field(() => Int, { description: 'FOLLOWS among members with a valid createdAt.' })
  datedFollows!: number;

  @Field(() => Int, { description: 'FOLLOWS among members without a (valid) createdAt.' })
  undatedFollows!: number;

  @Field({ description: 'Fingerprint of the graph this answer describes.' })
  graphVersion!: string;
}
