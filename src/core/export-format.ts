/** The file formats an export is written in. */
export const EXPORT_FORMATS = ['CSV', 'GEXF', 'GRAPHML'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
