/** Shapes of graph answers: subgraphs, relationships, rankings, communities, hashtags. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Actor, type Ref } from './actor-types.js';

@ObjectType({ description: 'A FOLLOWS edge: source follows target (DIDs).' })
export class FollowEdge {
  @Field(() => ID, { description: 'DID of the actor who follows.' })
  source!: string;

  @Field(() => ID, { description: 'DID of the actor who is followed.' })
  target!: string;
}

@ObjectType({ description: 'Actors and every FOLLOWS edge among them (an induced subgraph).' })
export class Subgraph {
  @Field(() => [Actor], { description: 'The centre first, then by distance.' })
  nodes!: Ref<Actor>[];

  @Field(() => [FollowEdge], { description: 'Every FOLLOWS edge between two of the returned nodes.' })
  edges!: FollowEdge[];

  @Field(() => [Int], {
    description:
      'The same edges, compactly: flat pairs of positions in `nodes` (source, target, source, target, …). About a tenth of the bytes of `edges`, for clients that draw large graphs.',
  })
  edgeIndex!: number[];

  @Field({ description: 'True when more actors (or edges) were reachable than `limit` allowed.' })
  truncated!: boolean;
}

@ObjectType({ description: 'How two actors are connected by FOLLOWS.' })
export class Relationship {
  @Field(() => Actor, { description: 'The first actor asked for.' })
  a!: Ref<Actor>;

  @Field(() => Actor, { description: 'The second actor asked for.' })
  b!: Ref<Actor>;

  @Field({ description: 'Whether a follows b.' })
  aFollowsB!: boolean;

  @Field({ description: 'Whether b follows a.' })
  bFollowsA!: boolean;

  @Field({ description: 'Both follow each other.' })
  mutual!: boolean;

  @Field(() => Int, { nullable: true, description: 'Fewest FOLLOWS hops from a to b in the graph; null if b cannot be reached; 0 if a = b.' })
  shortestPathLength!: number | null;

  @Field(() => Int, { nullable: true, description: 'Fewest hops ignoring direction; null if unconnected.' })
  undirectedPathLength!: number | null;
}

@ObjectType({ description: 'An actor with its score under a centrality metric.' })
export class RankedActor {
  @Field(() => Actor, { description: 'The ranked actor.' })
  actor!: Ref<Actor>;

  @Field(() => Float, { description: 'Value of the metric for this actor; higher ranks first.' })
  score!: number;

  @Field(() => Int, { description: '1-based, distinct.' })
  rank!: number;
}

@ObjectType({ description: 'A Louvain community among the members of a hashtag.' })
export class Community {
  @Field(() => Int, { description: 'Louvain community id, as on Actor.community for the same hashtag and graph version.' })
  id!: number;

  @Field(() => Int, { description: 'Number of members in this community.' })
  size!: number;

  @Field(() => [Actor], { description: 'Highest PageRank first.' })
  topMembers!: Ref<Actor>[];
}

@ObjectType({ description: 'Counts of the crawled graph of one hashtag.' })
export class HashtagStats {
  @Field({ description: 'Lower-case, without #.' })
  name!: string;

  @Field(() => Int, { description: 'Actors who posted with the hashtag.' })
  members!: number;

  @Field(() => Int, { description: 'FOLLOWS edges among members (COMMUNITY scope).' })
  follows!: number;

  @Field(() => Int, { description: 'Members and everyone they follow (ALL scope).' })
  actors!: number;

  @Field(() => Int, { description: 'FOLLOWS edges from members to anyone (ALL scope).' })
  outgoingFollows!: number;

  @Field(() => String, { nullable: true, description: 'When the latest successful ingest finished (ISO 8601).' })
  lastIngestAt!: string | null;
}
