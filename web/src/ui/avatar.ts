/** An actor's avatar, or their initials on their community colour when there is none (or it fails to load). */
import type { Actor } from '../api/types.js';
import { displayName } from '../graph/model.js';
import { h } from './dom.js';

function initials(actor: Actor): string {
  const words = displayName(actor).replace(/^@/, '').split(/[\s._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '?') + (words[1]?.[0] ?? '')).toUpperCase();
}

export function avatar(actor: Actor, colour: string, small = false): HTMLElement {
  const fallback = () => {
    const el = h('div', { class: `avatar initials${small ? ' small' : ''}`, 'aria-hidden': 'true' }, initials(actor));
    el.style.background = colour;
    el.style.borderColor = colour;
    return el;
  };
  if (!actor.avatar || !/^https?:\/\//.test(actor.avatar)) return fallback();
  const img = h('img', { class: `avatar${small ? ' small' : ''}`, src: actor.avatar, alt: '', loading: 'lazy', referrerpolicy: 'no-referrer' });
  img.style.borderColor = colour;
  img.addEventListener('error', () => img.replaceWith(fallback()), { once: true });
  return img;
}
