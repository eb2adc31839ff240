/** Export requests and the download they produce. */
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ExportColumn, ExportFormat, Scope } from './enums.js';

@InputType({ description: 'What to export: the graph of one hashtag, its scope and the file format.' })
export class ExportInput {
  @Field({ description: 'Hashtag whose graph to export, with or without #; case is ignored.' })
  hashtag!: string;

  @Field(() => Scope, { defaultValue: Scope.COMMUNITY, description: 'Which actors and FOLLOWS edges to include.' })
  scope!: Scope;

  @Field(() => ExportFormat, { defaultValue: ExportFormat.CSV, description: 'File format of the download.' })
  format!: ExportFormat;

  @Field(() => [ExportColumn], { nullable: true, description: 'Optional CSV columns after the default six.' })
  extraColumns?: ExportColumn[] | null;
}

@ObjectType({ description: 'A finished export, downloadable from `url` (with the API key when one is set).' })
export class CsvExport {
  @Field(() => ID, { description: 'Identifier of this export (part of its download URL).' })
  id!: string;

  @Field({ description: 'GET this URL to download the file.' })
  url!: string;

  @Field(() => Int, { description: 'Data rows (edges), without the header.' })
  rows!: number;

  @Field(() => Int, { description: 'Size of the file in bytes.' })
  bytes!: number;

  @Field(() => ExportFormat, { description: 'File format, as asked for.' })
  format!: ExportFormat;

  @Field({ description: 'Suggested file name (the download sends it in Content-Disposition).' })
  fileName!: string;

  @Field({ description: 'MIME type the download is served with.' })
  contentType!: string;
}
