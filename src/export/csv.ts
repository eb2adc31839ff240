/**
 * RFC 4180 CSV cells and rows, safe to open in a spreadsheet.
 * - A field containing a comma, a double quote, CR or LF is quoted; quotes inside are doubled.
 * - Rows end with CRLF.
 * - Formula injection: a cell that starts with = + - @ TAB or CR would be evaluated by Excel, Sheets
 *   and LibreOffice; it gets a leading apostrophe (OWASP's advice). Handles, DIDs, URLs and counts never
 *   start with those, so they pass through unchanged; display names like "=HYPERLINK(…)" do not.
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',') + '\r\n';
}
