/**
 * Find an actor in the drawn graph by handle or display name: suggestions as you type (prefix
 * matches first, then bigger nodes), arrow keys and Enter, the camera flies to the choice.
 */
import type { ViewGraph } from '../graph/model.js';
import { displayName } from '../graph/model.js';
import { avatar } from './avatar.js';
import { clear, h } from './dom.js';

interface Entry {
  did: string;
  handle: string;
  name: string;
  size: number;
  colour: string;
}

const MAX_SUGGESTIONS = 8;

export class SearchBox {
  private entries: Entry[] = [];
  private graph: ViewGraph | null = null;
  private shown: Entry[] = [];
  private active = -1;

  constructor(
    private readonly input: HTMLInputElement,
    private readonly list: HTMLUListElement,
    private readonly onChoose: (did: string) => void,
  ) {
    input.addEventListener('input', () => this.suggest());
    input.addEventListener('focus', () => this.suggest());
    input.addEventListener('keydown', (e) => this.key(e));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));
  }

  setGraph(graph: ViewGraph | null): void {
    this.graph = graph;
    this.entries = [];
    graph?.forEachNode((did, a) => {
      this.entries.push({
        did,
        handle: (a.actor.handle ?? did).toLowerCase(),
        name: displayName(a.actor).toLowerCase(),
        size: a.size,
        colour: a.color,
      });
    });
    this.input.disabled = graph === null;
  }

  /** Refreshes sizes and colours after the size metric changed. */
  refresh(): void {
    this.setGraph(this.graph);
  }

  matches(query: string): Entry[] {
    const q = query.trim().replace(/^@/, '').toLowerCase();
    if (!q) return [];
    const scored: Array<[number, Entry]> = [];
    for (const e of this.entries) {
      let rank: number;
      if (e.handle === q) rank = 0;
      else if (e.handle.startsWith(q)) rank = 1;
      else if (e.name.startsWith(q) || e.name.includes(` ${q}`)) rank = 2;
      else if (e.handle.includes(q)) rank = 3;
      else if (e.name.includes(q)) rank = 4;
      else continue;
      scored.push([rank, e]);
    }
    scored.sort((x, y) => x[0] - y[0] || y[1].size - x[1].size || (x[1].handle < y[1].handle ? -1 : 1));
    return scored.slice(0, MAX_SUGGESTIONS).map(([, e]) => e);
  }

  private suggest(): void {
    const query = this.input.value;
    this.shown = this.matches(query);
    this.active = this.shown.length > 0 ? 0 : -1;
    clear(this.list);
    if (!query.trim()) return this.close();
    if (this.shown.length === 0) {
      this.list.append(h('li', { class: 'empty' }, 'No one in this graph matches'));
    }
    this.shown.forEach((e, i) => {
      const actor = this.graph?.getNodeAttribute(e.did, 'actor');
      const li = h(
        'li',
        { role: 'option', id: `suggestion-${i}`, 'aria-selected': i === this.active ? 'true' : 'false', testid: 'search-suggestion', 'data-did': e.did },
        actor ? avatar(actor, e.colour, true) : null,
        h('span', { class: 'suggestion-text' }, h('span', { class: 'suggestion-name' }, actor ? displayName(actor) : e.name), h('span', { class: 'suggestion-handle' }, `@${actor?.handle ?? e.handle}`)),
      );
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        this.choose(i);
      });
      this.list.append(li);
    });
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  private key(e: KeyboardEvent): void {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (this.shown.length === 0) return;
      e.preventDefault();
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : -1) + this.shown.length) % this.shown.length;
      this.list.querySelectorAll('li').forEach((li, i) => li.setAttribute('aria-selected', i === this.active ? 'true' : 'false'));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (this.active >= 0) this.choose(this.active);
    } else if (e.key === 'Escape') {
      this.close();
      this.input.blur();
    }
  }

  private choose(i: number): void {
    const e = this.shown[i];
    if (!e) return;
    this.input.value = this.graph?.getNodeAttribute(e.did, 'actor').handle ?? e.handle;
    this.close();
    this.onChoose(e.did);
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }
}
