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

@ObjectType({ description: 'Actors with followers in this range (powers of two: 0, 1, 2–3, 4–7, …).' })
export class DegreeBucket {
  @Field(() => Int, { description: 'Fewest followers in the bucket (inclusive).' })
  min!: number;

  @Field(() => Int, { description: 'Most followers in the bucket (inclusive).' })
  max!: number;

  @Field(() => Int, { description: 'Actors in the bucket.' })
  actors!: number;
}

@ObjectType({ description: 'Structure of a follow graph: a hashtag community, or one community within it.' })
export class GraphStructure {
  @Field(() => Int, { description: 'Actors in it.' })
  actors!: number;

  @Field(() => Int, { description: 'FOLLOWS between two of its actors.' })
  follows!: number;

  @Field(() => Float, { description: 'Follows over possible follows: follows / (actors × (actors − 1)).' })
  density!: number;

  @Field(() => Float, { description: 'Share of its follows that are followed back.' })
  reciprocity!: number;

  @Field(() => Float, { description: 'Mean local clustering coefficient of follows read as undirected ties.' })
  clustering!: number;

  @Field(() => Int, { description: 'Largest k with a k-core: a group where everyone has at least k ties inside the group.' })
  maxCore!: number;

  @Field(() => [DegreeBucket], { description: 'How many of its actors have how many followers inside it.' })
  inDegreeDistribution!: DegreeBucket[];
}

@ObjectType({ description: 'A community among the members of a hashtag (Louvain or Leiden).' })
export class Community {
  @Field(() => Int, {
    description:
      'Community id. Stable: a recomputation (a new ingest, new follows) gives a community the id of the previous community most of whose members it holds; new communities get ids never used before. As on Actor.community for the default algorithm.',
  })
  id!: number;

  @Field(() => Int, { description: 'Number of members in this community.' })
  size!: number;

  @Field(() => [Actor], { description: 'Highest PageRank (over the whole hashtag) first.' })
  topMembers!: Ref<Actor>[];

  @Field(() => [ID], { description: 'DIDs of all its members, by DID: enough to colour a graph by this partition.' })
  memberDids!: string[];

  @Field(() => [Int], {
    description:
      "Core number of each member in memberDids' order, over the whole hashtag's follows read as undirected ties (k-core: the member is in a group where everyone has at least k ties inside the group). Empty on servers without insights.",
  })
  coreNumbers!: number[];

  @Field(() => String, { nullable: true, description: 'A name: its top keywords joined by " · "; null when its members share no distinctive words.' })
  label!: string | null;

  @Field(() => [String], { description: "What sets it apart: words of its members' bios and #hashtags they post with, by TF-IDF." })
  keywords!: string[];

  @Field(() => [Actor], { description: 'Its most central members: highest PageRank over the follows inside the community.' })
  representatives!: Ref<Actor>[];

  @Field(() => GraphStructure, { nullable: true, description: 'Density, reciprocity, clustering and k-core of the follows inside it (null on servers without insights).' })
  structure!: GraphStructure | null;
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
