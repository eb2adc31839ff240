/** The hashtags in the graph and their sizes. */
import { Ctx, Query, Resolver } from 'type-graphql';
import { hashtagStats } from '../graph/hashtag-queries.js';
import { fixedItems } from '../schema/complexity.js';
import { HashtagStats } from '../schema/graph-types.js';
import type { ApiContext } from './context.js';

@Resolver()
export class HashtagResolver {
  @Query(() => [HashtagStats], { complexity: fixedItems(20), description: 'Every ingested hashtag, most members first.' })
  hashtags(@Ctx() ctx: ApiContext): Promise<HashtagStats[]> {
    return hashtagStats(ctx.db);
  }
}
