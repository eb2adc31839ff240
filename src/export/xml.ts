/**
 * XML 1.0 text and attribute escaping. Characters XML 1.0 forbids outright (C0 controls other than
 * TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF) cannot even be written as character references, so they
 * are dropped; profile text from the network does contain them.
 */
// With the `u` flag a lone surrogate is one code point in D800–DFFF, outside every allowed range.
const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function stripInvalidXmlChars(text: string): string {
  return text.replace(FORBIDDEN, '');
}

export function xmlText(text: string): string {
  // CR would come back as LF (XML end-of-line normalisation) unless written as a reference.
  return stripInvalidXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** For double-quoted attributes. TAB/LF/CR become references: parsers would normalise them to spaces. */
export function xmlAttr(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}
