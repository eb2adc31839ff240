/** growth(hashtag, interval): a community's members and follows over time, and what is undated. */
import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { growthSeries, type GrowthSeries } from '../core/time-buckets.js';
import { growthDays, type GrowthDays } from '../graph/growth-queries.js';
import { hashtag as requiredHashtag } from '../schema/arguments.js';
import { fixedItems } from '../schema/complexity.js';
import { Interval } from '../schema/enums.js';
import { notFound } from '../schema/errors.js';
import { GrowthCoverage, GrowthPoint } from '../schema/growth-types.js';
import type { ApiContext } from './context.js';

/** One read per hashtag per request: `growth` and `growthCoverage` side by side share it. */
const daysPerRequest = new WeakMap<ApiContext, Map<string, Promise<GrowthDays>>>();

function daysOf(ctx: ApiContext, hashtag: string): Promise<GrowthDays> {
  let perTag = daysPerRequest.get(ctx);
  if (!perTag) daysPerRequest.set(ctx, (perTag = new Map()));
  let days = perTag.get(hashtag);
  if (!days) perTag.set(hashtag, (days = growthDays(ctx.db, hashtag)));
  return days;
}

async function seriesOf(ctx: ApiContext, hashtag: string, interval: Interval): Promise<GrowthSeries> {
  const days = await daysOf(ctx, hashtag);
  if (!days.exists) throw notFound(`no hashtag #${hashtag} in the graph: ingest it first`);
  return growthSeries(days.memberDays, days.followDays, interval);
}

@Resolver()
export class GrowthResolver {
  @Query(() => [GrowthPoint], { complexity: fixedItems(50), description: 'Members and FOLLOWS among members of a hashtag over time, in time order (see GrowthPoint).' })
  async growth(
    @Arg('hashtag', { description: 'Hashtag, with or without #.' }) hashtag: string,
    @Arg('interval', () => Interval, { description: 'Bucket width.' }) interval: Interval,
    @Ctx() ctx: ApiContext,
  ): Promise<GrowthPoint[]> {
    return (await seriesOf(ctx, requiredHashtag(hashtag), interval)).buckets;
  }

  @Query(() => GrowthCoverage, { complexity: 2, description: 'How much of a hashtag growth series is dated.' })
  async growthCoverage(@Arg('hashtag', { description: 'Hashtag, with or without #.' }) hashtag: string, @Ctx() ctx: ApiContext): Promise<GrowthCoverage> {
    const name = requiredHashtag(hashtag);
    const [series, graphVersion] = await Promise.all([seriesOf(ctx, name, 'DAY'), ctx.graphVersion()]);
    const last = series.buckets.at(-1);
    return {
      hashtag: name,
      datedMembers: last?.members ?? 0,
      undatedMembers: series.undatedMembers,
      datedFollows: last?.follows ?? 0,
      undatedFollows: series.undatedFollows,
      graphVersion,
    };
  }
}
