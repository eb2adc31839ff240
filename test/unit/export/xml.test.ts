import { describe, expect, it } from '@jest/globals';
import { stripInvalidXmlChars, xmlAttr, xmlText } from '../../../src/export/xml.js';
import { GEXF, GRAPHML, type GraphDocument } from '../../../src/export/graph-documents.js';
import type { ExportNode } from '../../../src/graph/export-queries.js';
import { readXml, type XmlElement } from '../../support/analytics-xml.js';

const NASTY = 'a & b < c > d "e" \'f\'\tg\nh\ri\u0000j\u0001k\u0008l\u000bm\u001fn\ud800o\udfffp\ufffeq\uffffr🦋s';

describe('XML escaping', () => {
  it('drops characters XML 1.0 cannot carry, keeps the rest', () => {
    expect(stripInvalidXmlChars(NASTY)).toBe('a & b < c > d "e" \'f\'\tg\nh\rijklmnopqr🦋s');
  });

  it('escapes markup in text and attributes', () => {
    expect(xmlText('<a href="x">&</a>')).toBe('&lt;a href="x"&gt;&amp;&lt;/a&gt;');
    expect(xmlAttr(`"'<>&`)).toBe('&quot;&apos;&lt;&gt;&amp;');
  });

  it('is checked by a parser that would refuse the raw text', async () => {
    await expect(readXml(`<r>${NASTY}</r>`)).rejects.toThrow();
    await expect(readXml(`<r a="${NASTY.replace(/[<&"]/g, '')}"/>`)).rejects.toThrow();
  });

  it('round-trips through a strict parser, whitespace included', async () => {
    const seen: XmlElement[] = [];
    await readXml(`<r a="${xmlAttr(NASTY)}">${xmlText(NASTY)}</r>`, (e) => seen.push(e));
    const expected = stripInvalidXmlChars(NASTY);
    expect(seen[0]!.attributes.a).toBe(expected);
    expect(seen[0]!.text).toBe(expected);
  });
});

describe('GEXF and GraphML documents', () => {
  const nodes: ExportNode[] = [
    { did: 'did:plc:one', handle: 'one.test', displayName: 'One <&> "1"', followersCount: 10, pagerank: 0.25, community: 0, member: true },
    { did: 'did:web:example.com%3A8080', handle: null, displayName: 'bad\u0000chars\ud800', followersCount: null, pagerank: null, community: null, member: false },
  ];

  async function write(doc: GraphDocument): Promise<string> {
    let text = doc.head({ title: '#tag <test>', createdAt: new Date('2025-06-01T12:00:00Z') });
    nodes.forEach((n, i) => (text += doc.node(n, i)));
    text += doc.betweenNodesAndEdges();
    text += doc.edge(0, { did: nodes[0]!.did, index: 0 }, { did: nodes[1]!.did, index: 1 });
    text += doc.edge(1, { did: nodes[1]!.did, index: 1 }, { did: nodes[0]!.did, index: 0 });
    return text + doc.tail();
  }

  it('GEXF 1.3: nodes keyed by DID with typed attributes, directed edges', async () => {
    const attrs = new Map<string, string>();
    const values: Array<[string, string]> = [];
    const edges: Array<[string, string]> = [];
    const summary = await readXml(await write(GEXF), (e) => {
      if (e.name === 'attribute') attrs.set(e.attributes.id!, e.attributes.title!);
      if (e.name === 'attvalue') values.push([attrs.get(e.attributes.for!)!, e.attributes.value!]);
      if (e.name === 'edge') edges.push([e.attributes.source!, e.attributes.target!]);
    });
    expect(summary.root).toBe('gexf');
    expect(summary.namespace).toBe('http://gexf.net/1.3');
    expect(summary.counts.get('node')).toBe(2);
    expect(summary.counts.get('edge')).toBe(2);
    expect(values).toEqual(
      expect.arrayContaining([
        ['displayName', 'One <&> "1"'],
        ['pagerank', '0.25'],
        ['member', 'true'],
        ['displayName', 'badchars'],
      ]),
    );
    expect(values.filter(([k]) => k === 'pagerank')).toHaveLength(1); // absent values are left out
    expect(edges).toEqual([
      ['did:plc:one', 'did:web:example.com%3A8080'],
      ['did:web:example.com%3A8080', 'did:plc:one'],
    ]);
  });

  it('GraphML: NMTOKEN ids, the DID as data, keys declared once', async () => {
    const data: Array<[string, string]> = [];
    const edges: Array<[string, string]> = [];
    const summary = await readXml(await write(GRAPHML), (e) => {
      if (e.name === 'data') data.push([e.attributes.key!, e.text]);
      if (e.name === 'edge') edges.push([e.attributes.source!, e.attributes.target!]);
    });
    expect(summary.root).toBe('graphml');
    expect(summary.namespace).toBe('http://graphml.graphdrawing.org/xmlns');
    expect(summary.counts.get('key')).toBe(7);
    expect(summary.counts.get('node')).toBe(2);
    expect(data).toContainEqual(['did', 'did:web:example.com%3A8080']);
    expect(data).toContainEqual(['displayName', 'One <&> "1"']);
    expect(edges).toEqual([
      ['n0', 'n1'],
      ['n1', 'n0'],
    ]);
  });
});
