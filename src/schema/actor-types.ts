/** Actors and the Relay connections that list them. */
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

/** type-graphql under ESM: a class-typed property would evaluate the class early (decorator metadata
 * reads it before a circular import defines it); `Ref<T>` keeps the class out of the metadata. */
export type Ref<T> = T;

@ObjectType({ description: 'A Bluesky account, keyed by DID (handles change).' })
export class Actor {
  @Field(() => ID, { description: 'Decentralised identifier (did:plc:… or did:web:…); stable across handle changes.' })
  did!: string;

  @Field({ description: 'Current handle as last crawled (the DID when none is known).' })
  handle!: string;

  @Field(() => String, { nullable: true, description: 'Display name from the profile; null when unset or the profile was not fetched.' })
  displayName!: string | null;

  @Field(() => String, { nullable: true, description: 'Profile bio text; null when unset or the profile was not fetched.' })
  description!: string | null;

  @Field(() => String, { nullable: true, description: 'Avatar image URL.' })
  avatar!: string | null;

  @Field(() => Int, { nullable: true, description: "Bluesky's count (profile); null for actors whose profile was not fetched." })
  postsCount!: number | null;

  @Field(() => Int, { nullable: true, description: "Bluesky's follower count (profile), not only followers in this graph." })
  followersCount!: number | null;

  @Field(() => Int, { nullable: true, description: "Bluesky's follow count (profile)." })
  followsCount!: number | null;

  @Field(() => String, { nullable: true, description: 'Account creation time as Bluesky reports it (ISO 8601).' })
  createdAt!: string | null;

  /** Resolved by ActorResolver.pagerank (optionally per hashtag); this is the node's own property. */
  @Field(() => Float, {
    nullable: true,
    description:
      "With hashtag: PageRank among its members as computeScores last wrote it (null when not a member or not computed). Without: the score stored on the actor's node, if any; no query writes it.",
  })
  pagerank!: number | null;

  /** Resolved by ActorResolver.community (optionally per hashtag); this is the node's own property. */
  @Field(() => Int, {
    nullable: true,
    description:
      "With hashtag: Louvain community id among its members as computeScores last wrote it (the ids communities(hashtag) reports for that graph version). Without: the id stored on the actor's node, if any; no query writes it.",
  })
  community!: number | null;

  @Field(() => [String], { description: 'Hashtags this actor is a member of (posted with), A to Z.' })
  hashtags!: string[];

  @Field({ description: 'Link to the profile on the Bluesky web app: https://bsky.app/profile/<handle>.' })
  profileUrl!: string;
}

@ObjectType({ description: 'Relay page information of a connection.' })
export class PageInfo {
  @Field({ description: 'True when more items follow this page (ask again with `after: endCursor`).' })
  hasNextPage!: boolean;

  @Field({ description: 'True when this page was asked for with `after`.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'Cursor of the first item on this page; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' })
  endCursor!: string | null;
}

@ObjectType({ description: 'One actor in a connection, with its cursor.' })
export class ActorEdge {
  @Field({ description: 'Opaque; pass as `after` to continue after this actor.' })
  cursor!: string;

  @Field(() => Actor, { description: 'The actor at this position.' })
  node!: Ref<Actor>;
}

@ObjectType({ description: 'A Relay connection of actors.' })
export class ActorConnection {
  @Field(() => [ActorEdge], { description: 'The actors of this page with their cursors, in the requested order.' })
  edges!: ActorEdge[];

  @Field(() => [Actor], { description: 'The edges’ nodes, for clients that do not need cursors.' })
  nodes!: Ref<Actor>[];

  @Field(() => PageInfo, { description: 'Whether more pages follow, and the cursors to fetch them.' })
  pageInfo!: PageInfo;

  /** Resolved by ConnectionResolver only when asked for: counting costs a query. */
  countTotal!: () => Promise<number>;
}
