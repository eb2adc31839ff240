/** Answers about a hashtag's communities beyond membership: structure, bridges, follow suggestions. */
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Actor, type Ref } from './actor-types.js';
import { CommunityAlgorithm } from './enums.js';
import { Community, DegreeBucket, GraphStructure } from './graph-types.js';

@ObjectType({ description: "Structure of a hashtag's follow graph and of its communities." })
export class CommunityStats {
  @Field({ description: 'Lower-case, without #.' })
  hashtag!: string;

  @Field(() => CommunityAlgorithm, { description: 'The algorithm that found the communities.' })
  algorithm!: CommunityAlgorithm;

  @Field(() => Int, { description: 'The graph version these figures describe.' })
  graphVersion!: number;

  @Field(() => Float, { description: 'Modularity of the partition (follows as undirected ties; a mutual follow weighs two). Above 0.3 is clear structure.' })
  modularity!: number;

  @Field(() => GraphStructure, { description: 'The whole hashtag community (members and the follows among them).' })
  structure!: GraphStructure;

  @Field(() => [DegreeBucket], { description: 'How many members have how many followers among the members.' })
  inDegreeDistribution!: DegreeBucket[];

  @Field(() => [Community], { description: 'Each community with its structure, largest first.' })
  communities!: Community[];
}

@ObjectType({ description: 'A member the actor does not follow yet, and why it is suggested.' })
export class FollowSuggestion {
  @Field(() => Actor, { description: 'The suggested member.' })
  actor!: Ref<Actor>;

  @Field(() => Float, { description: "Adamic–Adar score: Σ 1/log(degree) over the actor's follows who follow them." })
  score!: number;

  @Field(() => Int, { description: "How many of the actor's follows follow them (the reason)." })
  followedByYourFollows!: number;

  @Field(() => [Actor], { description: "Up to three of those follows, the most selective first." })
  via!: Ref<Actor>[];
}

@ObjectType({ description: 'An actor whose follows and followers spread over several communities.' })
export class BridgeActor {
  @Field(() => Actor, { description: 'The bridging actor.' })
  actor!: Ref<Actor>;

  @Field(() => Int, { description: 'Its own community id.' })
  community!: number;

  @Field(() => Float, { description: 'Participation coefficient 1 − Σ (ties to c / ties)²: 0 when all ties stay in one community.' })
  participation!: number;

  @Field(() => Int, { description: 'Its follows and followers among the members.' })
  ties!: number;

  @Field(() => Int, { description: 'Ties to members of other communities.' })
  crossTies!: number;

  @Field(() => Int, { description: 'Communities holding at least a tenth of its ties.' })
  communitiesReached!: number;
}
