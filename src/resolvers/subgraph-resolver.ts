/** Fields of Subgraph that need more than the subgraph itself. */
import { Ctx, FieldResolver, Resolver } from 'type-graphql';
import { Subgraph } from '../schema/graph-types.js';
import type { ApiContext } from './context.js';

@Resolver(() => Subgraph)
export class SubgraphResolver {
  @FieldResolver(() => String, {
    description:
      'An opaque token of the graph state this answer was read from: equal tokens, equal graph. The view keys its cached layout on it; it changes whenever an ingest (or anyone) changes the graph.',
  })
  graphVersion(@Ctx() ctx: ApiContext): Promise<string> {
    return ctx.graphVersion();
  }
}
