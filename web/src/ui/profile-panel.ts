/**
 * The side panel of a clicked actor: profile, counts on Bluesky and inside the drawn graph, its
 * community, and its mutual follows as the API reports them (each one clickable when drawn).
 */
import type { Actor, ActorPage, Suggestion } from '../api/types.js';
import type { ViewGraph, ViewModel } from '../graph/model.js';
import { displayName } from '../graph/model.js';
import { OTHER_COLOUR } from '../graph/communities.js';
import { avatar } from './avatar.js';
import { clear, compact, h } from './dom.js';

export interface PanelContext {
  readonly model: ViewModel;
  readonly metricLabel: string;
  /** 1-based rank of the actor by the size metric, among drawn nodes with a score. */
  readonly rank: number | null;
  readonly communityLabel: string | null;
  /** The hashtag whose members to suggest (null: no suggestions, as in the ALL scope). */
  readonly suggestionsFor: string | null;
}

export class ProfilePanel {
  private mutualList: HTMLUListElement | null = null;
  private mutualTitle: HTMLElement | null = null;
  private suggestionList: HTMLUListElement | null = null;
  private current: string | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly onSelect: (did: string) => void,
    private readonly onClose: () => void,
  ) {}

  show(actor: Actor, ctx: PanelContext): void {
    this.current = actor.did;
    const { graph, follows } = ctx.model;
    const a = graph.hasNode(actor.did) ? graph.getNodeAttributes(actor.did) : null;
    const colour = a?.color ?? OTHER_COLOUR;
    clear(this.root);
    const profileUrl = `https://bsky.app/profile/${encodeURIComponent(actor.handle ?? actor.did)}`;
    this.root.append(
      h(
        'div',
        { class: 'panel-head' },
        avatar(actor, colour),
        h(
          'div',
          { class: 'who' },
          h('h2', { testid: 'profile-name' }, displayName(actor)),
          h('div', { class: 'handle', testid: 'profile-handle' }, `@${actor.handle ?? actor.did}`),
          h('a', { href: profileUrl, target: '_blank', rel: 'noopener noreferrer', testid: 'profile-link' }, 'Open on Bluesky ↗'),
        ),
        h('button', { type: 'button', class: 'close', 'aria-label': 'Close', title: 'Close (Esc)', onclick: () => this.onClose(), testid: 'profile-close' }, '×'),
      ),
      h(
        'div',
        { class: 'stats', testid: 'profile-stats' },
        stat(actor.followersCount, 'Followers'),
        stat(actor.followsCount, 'Follows'),
        stat(actor.postsCount, 'Posts'),
      ),
      h(
        'div',
        { class: 'facts' },
        ctx.communityLabel ? h('div', {}, dot(colour), h('span', {}, ctx.communityLabel)) : null,
        a
          ? h('div', {}, h('span', {}, 'In this graph: '), h('b', { testid: 'profile-followers-here' }, compact(follows.inDegree(actor.did))), ' followers, ', h('b', {}, compact(follows.outDegree(actor.did))), ' follows')
          : null,
        a && a.score !== null
          ? h('div', {}, h('span', {}, `${ctx.metricLabel}: `), h('b', {}, formatScore(a.score)), ctx.rank ? h('span', {}, ` · rank ${ctx.rank} of ${graph.order}`) : null)
          : null,
      ),
    );
    this.mutualTitle = h('div', { class: 'section-title' }, h('span', {}, 'Mutual follows'), h('span', { testid: 'mutuals-count' }, '…'));
    this.mutualList = h('ul', { class: 'mutuals', testid: 'mutuals' }, h('li', { class: 'loading' }, 'Loading…'));
    this.root.append(this.mutualTitle, this.mutualList);
    this.suggestionList = null;
    if (ctx.suggestionsFor) {
      this.suggestionList = h('ul', { class: 'mutuals', testid: 'suggestions' }, h('li', { class: 'loading' }, 'Loading…'));
      this.root.append(
        h('div', { class: 'section-title', title: `Members of #${ctx.suggestionsFor} not followed yet, by how many of this actor's follows follow them (Adamic–Adar)` }, h('span', {}, 'Suggested follows')),
        this.suggestionList,
      );
      this.root.dataset.suggestionsState = 'loading';
    } else delete this.root.dataset.suggestionsState;
    this.root.hidden = false;
    this.root.dataset.did = actor.did;
    this.root.dataset.mutualsState = 'loading';
  }

  /** Fills the suggested follows, unless the panel moved on to someone else meanwhile. */
  showSuggestions(did: string, suggestions: readonly Suggestion[], graph: ViewGraph): void {
    if (did !== this.current || !this.suggestionList) return;
    const list = this.suggestionList;
    clear(list);
    if (suggestions.length === 0) list.append(h('li', { class: 'empty' }, 'No suggestions: none of their follows follows another member'));
    for (const s of suggestions) {
      const drawn = graph.hasNode(s.actor.did);
      const colour = drawn ? graph.getNodeAttribute(s.actor.did, 'color') : OTHER_COLOUR;
      list.append(
        h(
          'li',
          {
            testid: 'suggestion-item',
            'data-did': s.actor.did,
            class: drawn ? '' : 'outside',
            title: `Followed by ${s.followedByYourFollows} of their follows`,
            onclick: drawn ? () => this.onSelect(s.actor.did) : null,
          },
          avatar(s.actor, colour, true),
          h(
            'span',
            { class: 'suggestion-text' },
            h('span', { class: 'suggestion-name' }, displayName(s.actor)),
            h('span', { class: 'suggestion-handle' }, `followed by ${compact(s.followedByYourFollows)} of their follows`),
          ),
        ),
      );
    }
    this.root.dataset.suggestionsState = 'loaded';
  }

  showSuggestionsError(did: string, message: string): void {
    if (did !== this.current || !this.suggestionList) return;
    clear(this.suggestionList);
    this.suggestionList.append(h('li', { class: 'empty' }, `No suggestions: ${message}`));
    this.root.dataset.suggestionsState = 'error';
  }

  /** Fills the mutual follows, unless the panel moved on to someone else meanwhile. */
  showMutuals(did: string, page: ActorPage, graph: ViewGraph): void {
    if (did !== this.current || !this.mutualList || !this.mutualTitle) return;
    const list = this.mutualList;
    clear(list);
    const count = this.mutualTitle.lastElementChild as HTMLElement;
    count.textContent = compact(page.totalCount);
    if (page.actors.length === 0) list.append(h('li', { class: 'empty' }, 'No mutual follows in this scope'));
    for (const m of page.actors) {
      const drawn = graph.hasNode(m.did);
      const colour = drawn ? graph.getNodeAttribute(m.did, 'color') : OTHER_COLOUR;
      list.append(
        h(
          'li',
          {
            testid: 'mutual-item',
            'data-did': m.did,
            'data-handle': m.handle ?? '',
            class: drawn ? '' : 'outside',
            title: drawn ? 'Show in the graph' : 'Not drawn in this scope',
            onclick: drawn ? () => this.onSelect(m.did) : null,
          },
          avatar(m, colour, true),
          h('span', { class: 'suggestion-text' }, h('span', { class: 'suggestion-name' }, displayName(m)), h('span', { class: 'suggestion-handle' }, `@${m.handle ?? m.did}`)),
        ),
      );
    }
    if (page.totalCount > page.actors.length) {
      list.append(h('li', { class: 'more' }, `and ${compact(page.totalCount - page.actors.length)} more`));
    }
    this.root.dataset.mutualsState = 'loaded';
  }

  showMutualsError(did: string, message: string): void {
    if (did !== this.current || !this.mutualList) return;
    clear(this.mutualList);
    this.mutualList.append(h('li', { class: 'empty' }, `Could not load mutual follows: ${message}`));
    this.root.dataset.mutualsState = 'error';
  }

  hide(): void {
    this.current = null;
    this.root.hidden = true;
    delete this.root.dataset.did;
    clear(this.root);
  }
}

function stat(value: number | null, label: string): HTMLElement {
  return h('div', { class: 'stat' }, h('b', {}, compact(value)), h('span', {}, label));
}

function dot(colour: string): HTMLElement {
  const el = h('span', { class: 'dot' });
  el.style.background = colour;
  return el;
}

function formatScore(score: number): string {
  if (Number.isInteger(score)) return compact(score);
  return score < 0.01 ? score.toExponential(2) : score.toFixed(3);
}
