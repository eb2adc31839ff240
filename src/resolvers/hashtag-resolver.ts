/** The hashtags in the graph and their sizes. */
import { Ctx, Query, Resolver } from 'type-graphql';
import { fixedItems } from '../schema/complexity.js';
import { HashtagStats } from '../schema/graph-types.js';
import type { ApiContext } from './context.js';
import { readHashtagStats } from './graph-reads.js';

@Resolver()
export class HashtagResolver {
  @Query(() => [HashtagStats], { complexity: fixedItems(20), description: 'Every ingested hashtag, most members first.' })
  hashtags(@Ctx() ctx: ApiContext): Promise<HashtagStats[]> {
    return readHashtagStats(ctx);
  }
}
