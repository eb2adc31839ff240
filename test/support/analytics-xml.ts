/**
 * A strict XML reader for export tests (saxes: a conformant, non-validating XML 1.0 parser that fails
 * on anything not well-formed). Streams, so a 200k-edge file is read without building a DOM.
 */
import { createReadStream } from 'node:fs';
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Text directly inside the element (entities resolved). */
  text: string;
  /** Names of the enclosing elements, outermost first. */
  path: string[];
}

export interface XmlSummary {
  root: string;
  namespace: string | undefined;
  counts: Map<string, number>;
}

export async function readXml(source: string | AsyncIterable<string | Buffer>, onElement?: (e: XmlElement) => void): Promise<XmlSummary> {
  const parser = new SaxesParser({ xmlns: true });
  const counts = new Map<string, number>();
  const stack: XmlElement[] = [];
  let root = '';
  let namespace: string | undefined;
  let failure: Error | null = null;
  parser.on('error', (err) => {
    failure ??= err;
  });
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [k, a] of Object.entries(tag.attributes)) attributes[k] = typeof a === 'string' ? a : a.value;
    if (!stack.length) {
      root = tag.local ?? tag.name;
      namespace = tag.uri;
    }
    stack.push({ name: tag.local ?? tag.name, attributes, text: '', path: stack.map((s) => s.name) });
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    const e = stack.pop()!;
    counts.set(e.name, (counts.get(e.name) ?? 0) + 1);
    onElement?.(e);
  });
  if (typeof source === 'string') parser.write(source);
  else for await (const chunk of source) {
    parser.write(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    if (failure) break;
  }
  if (!failure) parser.close();
  if (failure) throw failure;
  return { root, namespace, counts };
}

export function readXmlFile(path: string, onElement?: (e: XmlElement) => void): Promise<XmlSummary> {
  return readXml(createReadStream(path, { encoding: 'utf8' }), onElement);
}
