/** Export requests and the download they produce. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ExportColumn, ExportFormat, Scope } from './enums.js';

@InputType()
export class ExportInput {
  @Field()
  hashtag!: string;

  @Field(() => Scope, { defaultValue: Scope.COMMUNITY })
  scope!: Scope;

  @Field(() => ExportFormat, { defaultValue: ExportFormat.CSV })
  format!: ExportFormat;

  @Field(() => [ExportColumn], { nullable: true, description: 'Optional CSV columns after the default six.' })
  extraColumns?: ExportColumn[] | null;
}

@ObjectType({ description: 'A finished export, downloadable from `url` (with the API key when one is set).' })
export class CsvExport {
  @Field(() => ID)
  id!: string;

  @Field({ description: 'GET this URL to download the file.' })
  url!: string;

  @Field(() => Int, { description: 'Data rows (edges), without the header.' })
  rows!: number;

  @Field(() => Int)
  bytes!: number;

  @Field(() => ExportFormat)
  format!: ExportFormat;

  @Field()
  fileName!: string;

  @Field()
  contentType!: string;
}
