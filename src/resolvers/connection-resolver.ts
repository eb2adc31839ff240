/** `totalCount` is counted only when a client asks for it. */
import { FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { ActorConnection } from '../schema/actor-types.js';

@Resolver(() => ActorConnection)
export class ActorConnectionResolver {
  @FieldResolver(() => Int, { description: 'Size of the whole list, all pages.' })
  totalCount(@Root() connection: ActorConnection): Promise<number> {
    return connection.countTotal();
  }
}
