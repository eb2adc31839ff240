/** `exportCsv`: ExportService writes the file; the API answers with where to download it. */
import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { hashtag } from '../schema/arguments.js';
import { ExportColumn } from '../schema/enums.js';
import { internal } from '../schema/errors.js';
import { CsvExport, ExportInput } from '../schema/export-types.js';
import type { ApiContext, ExportColumnName } from './context.js';

const COLUMNS: Record<ExportColumn, ExportColumnName> = {
  [ExportColumn.DIDS]: 'dids',
  [ExportColumn.TARGET_PROFILE]: 'target_profile',
};

@Resolver()
export class ExportResolver {
  @Mutation(() => CsvExport, { description: 'Writes the edges of a hashtag community to a file (CSV, GEXF or GraphML) and returns its URL.' })
  async exportCsv(@Arg('input', () => ExportInput, { description: 'The hashtag, scope and format to export.' }) input: ExportInput, @Ctx() ctx: ApiContext): Promise<CsvExport> {
    const request = {
      hashtag: hashtag(input.hashtag),
      scope: input.scope,
      format: input.format,
      ...(input.extraColumns?.length ? { extraColumns: [...new Set(input.extraColumns)].map((c) => COLUMNS[c]) } : {}),
    };
    if (!ctx.services.exports) throw internal('exports are not available on this server', 'NOT_CONFIGURED');
    const result = await ctx.services.exports.create(request);
    return { ...result, format: input.format, url: ctx.exportUrl(result.id) };
  }
}
