/**
 * A Neo4j Browser guide (`:play <url>` or `:guide <url>`) built from the README's "Cypher for Neo4j
 * Browser" section: one slide per ```cypher block, its paragraph as the caption. The guide is made
 * from the README's own text, so the two cannot drift, and test/integration/browser-guide-cypher
 * runs the served guide's code the way readme-cypher runs the README's.
 *
 * Browser fetches the guide from its own page (origin http://127.0.0.1:7474 by default), so the
 * response needs CORS for that origin, and the host must be in neo4j.conf's
 * browser.remote_content_hostname_whitelist (neo4j/neo4jctl writes it).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendError } from './http-responses.js';
import { packagePath } from '../config/package-root.js';

export const BROWSER_GUIDE_PATH = '/browser-guide';

/** Neo4j Browser as neo4j/neo4jctl serves it by default. */
export const DEFAULT_BROWSER_ORIGINS: readonly string[] = Object.freeze(['http://127.0.0.1:7474', 'http://localhost:7474']);

export interface GuideSlide {
  /** The README's paragraph before the block (Markdown). */
  readonly caption: string;
  /** The block as written, `:param` lines included: Browser runs it as a multi-statement script. */
  readonly cypher: string;
}

const SECTION = '## Cypher for Neo4j Browser';

/** The slides of the README's Cypher section: every ```cypher block with the paragraph before it. */
export function readmeGuideSlides(readme: string): GuideSlide[] {
  const start = readme.indexOf(SECTION);
  if (start < 0) throw new Error(`README has no "${SECTION}" section`);
  const rest = readme.slice(start + SECTION.length);
  const next = rest.search(/^## /m);
  const section = next < 0 ? rest : rest.slice(0, next);
  const slides: GuideSlide[] = [];
  let prose = '';
  for (const part of section.split(/^```/m).map((p, i) => ({ p, code: i % 2 === 1 }))) {
    if (!part.code) {
      prose = part.p;
      continue;
    }
    if (!part.p.startsWith('cypher\n')) continue;
    const paragraphs = prose.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    // "... on the nodes too (`pagerank`, `community`):" introduces the block; a title needs no colon.
    slides.push({ caption: (paragraphs.at(-1) ?? '').replace(/:$/, ''), cypher: part.p.slice('cypher\n'.length).trimEnd() });
  }
  return slides;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The Markdown the captions use: `code`, [text](url) and <url> links. */
function inlineMarkdown(text: string): string {
  return escapeHtml(text.replace(/\s*\n\s*/g, ' '))
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2" target="_blank" rel="noopener">$1</a>')
    .replace(/&lt;(https?:[^\s&]+)&gt;/g, '<a href="$1" target="_blank" rel="noopener">$1</a>');
}

/**
 * The guide's HTML in the shape Browser 5 reads: each <slide> becomes a page of the carousel, and
 * a <pre class="runnable"> gets a play button that puts its text into the editor.
 */
export function renderBrowserGuide(slides: readonly GuideSlide[]): string {
  const title = 'bsky-graph: a Bluesky hashtag community';
  const contents = slides.map((s, i) => `<li>${i + 1}. ${inlineMarkdown(s.caption)}</li>`).join('\n');
  const intro = `<slide class="row-fluid">
<div class="col-sm-12">
<h3>${escapeHtml(title)}</h3>
<p><code>(:Actor)-[:POSTED_WITH]-&gt;(:Hashtag)</code> marks the members of a hashtag,
<code>(:Actor)-[:FOLLOWS]-&gt;(:Actor)</code> their follows, and <code>(:IngestRun)</code> each crawl.
Each slide is a query from the README; click it to put it into the editor, then run it.
With your own data, change the <code>:param</code> lines.</p>
<ol class="undecorated">
${contents}
</ol>
</div>
</slide>`;
  const pages = slides.map(
    (s, i) => `<slide class="row-fluid">
<div class="col-sm-12">
<h3>${i + 1}. ${inlineMarkdown(s.caption)}</h3>
<pre class="pre-scrollable code runnable">${escapeHtml(s.cypher)}</pre>
</div>
</slide>`,
  );
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<article class="guide">
<carousel class="deck container-fluid">
${[intro, ...pages].join('\n')}
</carousel>
</article>
</body>
</html>
`;
}

const README = packagePath('README.md');
let guide: Promise<string> | undefined;

/** The guide of this package's README, read once (sources and build alike). */
export function loadBrowserGuide(): Promise<string> {
  guide ??= readFile(README, 'utf8').then((r) => renderBrowserGuide(readmeGuideSlides(r)));
  guide.catch(() => (guide = undefined)); // a failed read is retried on the next request
  return guide;
}

/**
 * GET/HEAD /browser-guide. CORS names the Browser's origin only: any other page the user has
 * open may still fetch the guide, but cannot read it (it holds nothing secret, but no page needs it).
 */
export async function handleBrowserGuide(req: IncomingMessage, res: ServerResponse, browserOrigins: readonly string[]): Promise<void> {
  const origin = req.headers.origin;
  const allowed = origin !== undefined && browserOrigins.includes(origin);
  if (req.method === 'OPTIONS') {
    // Browser's fetch sends Cache-Control and Pragma: no-cache, which makes it a preflighted request.
    res.writeHead(204, {
      vary: 'Origin',
      ...(allowed
        ? { 'access-control-allow-origin': origin, 'access-control-allow-methods': 'GET, HEAD', 'access-control-allow-headers': 'cache-control, pragma', 'access-control-max-age': '600' }
        : {}),
    });
    return void res.end();
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendError(res, 405, 'BAD_USER_INPUT', `${BROWSER_GUIDE_PATH} answers GET only`, { headers: { allow: 'GET, HEAD, OPTIONS' } });
  }
  const html = await loadBrowserGuide();
  const headers: Record<string, string | number> = {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    'cache-control': 'no-cache',
    vary: 'Origin',
    // Opened directly in a tab, the page runs nothing and loads nothing.
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    'x-content-type-options': 'nosniff',
  };
  if (allowed) headers['access-control-allow-origin'] = origin;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : html);
}
