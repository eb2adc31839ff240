/**
 * Export: the `exportCsv` mutation prepares the file and answers with a URL on the same server;
 * the browser then downloads it. Without an API key a plain link streams straight to disk; with
 * one the download needs the Authorization header, so it goes through fetch.
 */
import { apiKey } from '../api/client.js';
import { requestExport } from '../api/queries.js';
import type { CsvExport, ExportFormat, Scope } from '../api/types.js';

const EXTENSION: Record<ExportFormat, string> = { CSV: 'csv', GEXF: 'gexf', GRAPHML: 'graphml' };

/** The server names the file (Content-Disposition); this is only for when it does not. */
function fallbackName(args: { hashtag: string; scope: Scope; format: ExportFormat }): string {
  return `${args.hashtag}-${args.scope.toLowerCase()}.${EXTENSION[args.format]}`;
}

function dispositionName(header: string | null): string | null {
  const m = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header) : null;
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

export async function exportAndDownload(args: { hashtag: string; scope: Scope; format: ExportFormat }): Promise<CsvExport> {
  const prepared = await requestExport(args);
  const url = new URL(prepared.url, window.location.origin);
  const link = document.createElement('a');
  link.download = fallbackName(args);
  link.dataset.testid = 'export-link';
  if (apiKey.get()) {
    const response = await fetch(url, { headers: apiKey.headers() });
    if (!response.ok) throw new Error(`The download answered ${response.status}`);
    link.download = dispositionName(response.headers.get('content-disposition')) ?? link.download;
    link.href = URL.createObjectURL(await response.blob());
    setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  } else {
    link.href = url.toString();
  }
  document.body.append(link);
  link.click();
  link.remove();
  return prepared;
}
