/**
 * GEXF 1.3 (Gephi) and GraphML (yEd, Cytoscape, networkx, igraph) written piece by piece: a head, one
 * element per node, a separator, one element per edge, a tail. Pure string functions, so the export
 * streams them and the tests read them without a database.
 *
 * Node attributes: handle, displayName, followersCount, pagerank, community (the last two are what
 * `centrality`/`communities` wrote back, absent until computed) and member (posts the hashtag; false
 * for the follow targets of scope ALL). Absent values are left out, not written as empty strings.
 */
import type { ExportNode } from '../graph/export-queries.js';
import { xmlAttr, xmlText } from './xml.js';

export interface GraphDocumentMeta {
  readonly title: string;
  readonly createdAt: Date;
}

export interface GraphDocument {
  head(meta: GraphDocumentMeta): string;
  /** `index` is the node's position in the document (0-based). */
  node(node: ExportNode, index: number): string;
  betweenNodesAndEdges(): string;
  edge(index: number, source: EdgeEnd, target: EdgeEnd): string;
  tail(): string;
}

export interface EdgeEnd {
  readonly did: string;
  readonly index: number;
}

interface AttributeSpec {
  readonly name: keyof ExportNode;
  readonly gexfType: 'string' | 'long' | 'double' | 'boolean';
  readonly graphmlType: 'string' | 'long' | 'double' | 'boolean';
}

const NODE_ATTRIBUTES: readonly AttributeSpec[] = [
  { name: 'did', gexfType: 'string', graphmlType: 'string' },
  { name: 'handle', gexfType: 'string', graphmlType: 'string' },
  { name: 'displayName', gexfType: 'string', graphmlType: 'string' },
  { name: 'followersCount', gexfType: 'long', graphmlType: 'long' },
  { name: 'pagerank', gexfType: 'double', graphmlType: 'double' },
  { name: 'community', gexfType: 'long', graphmlType: 'long' },
  { name: 'member', gexfType: 'boolean', graphmlType: 'boolean' },
];

function present(value: unknown): value is string | number | boolean {
  if (value === null || value === undefined) return false;
  return typeof value !== 'number' || Number.isFinite(value);
}

export const GEXF: GraphDocument = {
  head(meta) {
    const attributes = NODE_ATTRIBUTES.map((a, i) => `      <attribute id="${i}" title="${a.name}" type="${a.gexfType}"/>\n`).join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<gexf xmlns="http://gexf.net/1.3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">\n' +
      `  <meta lastmodifieddate="${meta.createdAt.toISOString().slice(0, 10)}">\n` +
      '    <creator>bsky-graph</creator>\n' +
      `    <description>${xmlText(meta.title)}</description>\n` +
      '  </meta>\n' +
      '  <graph mode="static" defaultedgetype="directed">\n' +
      '    <attributes class="node" mode="static">\n' +
      attributes +
      '    </attributes>\n' +
      '    <nodes>\n'
    );
  },
  node(node) {
    const values = NODE_ATTRIBUTES.map((a, i) => (present(node[a.name]) ? `          <attvalue for="${i}" value="${xmlAttr(String(node[a.name]))}"/>\n` : '')).join('');
    const label = node.handle ?? node.did;
    return `      <node id="${xmlAttr(node.did)}" label="${xmlAttr(label)}">\n        <attvalues>\n${values}        </attvalues>\n      </node>\n`;
  },
  betweenNodesAndEdges: () => '    </nodes>\n    <edges>\n',
  edge: (index, source, target) => `      <edge id="${index}" source="${xmlAttr(source.did)}" target="${xmlAttr(target.did)}"/>\n`,
  tail: () => '    </edges>\n  </graph>\n</gexf>\n',
};

/** GraphML ids must be NMTOKENs, which some DIDs (did:web with %-escapes) are not: nodes are n0, n1 …, the DID is data. */
export const GRAPHML: GraphDocument = {
  head(meta) {
    const keys = NODE_ATTRIBUTES.map((a) => `  <key id="${a.name}" for="node" attr.name="${a.name}" attr.type="${a.graphmlType}"/>\n`).join('');
    return (
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ' +
      'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n' +
      `  <desc>${xmlText(meta.title)}</desc>\n` +
      keys +
      '  <graph id="follows" edgedefault="directed">\n'
    );
  },
  node(node, index) {
    const data = NODE_ATTRIBUTES.map((a) => (present(node[a.name]) ? `      <data key="${a.name}">${xmlText(String(node[a.name]))}</data>\n` : '')).join('');
    return `    <node id="n${index}">\n${data}    </node>\n`;
  },
  betweenNodesAndEdges: () => '',
  edge: (index, source, target) => `    <edge id="e${index}" source="n${source.index}" target="n${target.index}"/>\n`,
  tail: () => '  </graph>\n</graphml>\n',
};
