/**
 * Realistic-looking people: handles, display names and bios. Handles live under
 * `.devnet.test` (`.test` is reserved, so no devnet handle can ever collide with a real one).
 */
import { chance, pick, randInt, type Rng } from './prng.js';

export const HANDLE_SUFFIX = 'devnet.test';

const FIRST = [
  'ada', 'alan', 'alice', 'amara', 'anders', 'ana', 'arjun', 'ayesha', 'bea', 'ben', 'bilal', 'camila',
  'carlos', 'chen', 'chloe', 'dan', 'dara', 'diego', 'elena', 'eli', 'emeka', 'emma', 'erik', 'farah',
  'felix', 'grace', 'hana', 'hugo', 'ines', 'ivan', 'jade', 'jamal', 'jin', 'jonas', 'julia', 'kai',
  'kenji', 'lara', 'leo', 'lina', 'luca', 'maya', 'mei', 'mila', 'nadia', 'nina', 'noah', 'olga',
  'omar', 'oscar', 'priya', 'rafael', 'rosa', 'sam', 'sara', 'sofia', 'tariq', 'theo', 'uma', 'vera',
  'wei', 'yara', 'yusuf', 'zoe',
];
const LAST = [
  'abbott', 'adeyemi', 'alvarez', 'andersen', 'bauer', 'becker', 'bianchi', 'brooks', 'castro', 'chen',
  'costa', 'dubois', 'duarte', 'eriksen', 'fischer', 'garcia', 'hansen', 'haddad', 'ito', 'jensen',
  'kowalski', 'kim', 'khan', 'larsen', 'lee', 'lopez', 'martin', 'meyer', 'moreau', 'mueller', 'nakamura',
  'nguyen', 'novak', 'okafor', 'olsen', 'park', 'patel', 'perez', 'petrov', 'quinn', 'rossi', 'santos',
  'schmidt', 'silva', 'singh', 'smith', 'suzuki', 'tanaka', 'torres', 'vargas', 'wagner', 'walker',
  'wang', 'weber', 'wong', 'yilmaz', 'zhang', 'zimmer',
];
const ROLES = [
  'data engineer', 'analytics engineer', 'DBA', 'database researcher', 'SQL nerd', 'postgres person',
  'data scientist', 'ML engineer', 'platform engineer', 'query optimizer enjoyer', 'stream processing dev',
  'PhD student in databases', 'open-source maintainer', 'BI developer', 'data architect',
];
const EXTRAS = [
  'Opinions my own.', 'Coffee, joins and cats.', 'He/him.', 'She/her.', 'They/them.', 'Berlin.',
  'Lisbon 🇵🇹', 'São Paulo.', 'Tokyo.', 'Nairobi.', 'Writing about indexes.', 'Ex-Oracle, now DuckDB.',
  'Graphs > tables (sometimes).', '📊 dashboards by day.', 'Building lakehouses.', '',
];
const OUTSIDER_ROLES = [
  'photographer', 'musician', 'journalist', 'teacher', 'gardener', 'game dev', 'illustrator',
  'climber', 'cook', 'news account', 'bot that posts birds', 'city council member',
];

export interface PersonName {
  /** Handle without suffix, unique within a community. */
  base: string;
  displayName: string;
}

export function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A fresh name whose handle base is not in `taken` (which it updates). */
export function personName(rng: Rng, taken: Set<string>): PersonName {
  for (let attempt = 0; ; attempt++) {
    const first = pick(rng, FIRST);
    const last = pick(rng, LAST);
    const style = randInt(rng, 0, 3);
    let base =
      style === 0 ? `${first}${last}` : style === 1 ? `${first}-${last}` : style === 2 ? `${first}` : `${first}${last[0]}`;
    // Common names collide quickly: add digits like real users do once their name is taken.
    if (attempt > 0 || style === 2) base += String(randInt(rng, 1, attempt > 20 ? 99999 : 999));
    if (taken.has(base)) continue;
    taken.add(base);
    const displayName = chance(rng, 0.08) ? '' : style === 2 ? capitalise(first) : `${capitalise(first)} ${capitalise(last)}`;
    return { base, displayName };
  }
}

export function memberBio(rng: Rng): string {
  if (chance(rng, 0.1)) return '';
  return `${capitalise(pick(rng, ROLES))}. ${pick(rng, EXTRAS)}`.trim();
}

export function outsiderBio(rng: Rng): string {
  if (chance(rng, 0.25)) return '';
  return `${capitalise(pick(rng, OUTSIDER_ROLES))}. ${pick(rng, EXTRAS)}`.trim();
}

export function handleOf(base: string): string {
  return `${base}.${HANDLE_SUFFIX}`;
}
