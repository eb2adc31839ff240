/**
 * Names for communities (pure): TF-IDF where a member is a document (its bio's words and the other
 * hashtags it posts with) and a term's weight in a community is the share of the community's members
 * using it times log(members / members using it anywhere). Words every group uses ("data", "mostly")
 * weigh little; the vocabulary that sets a group apart comes first.
 */
export interface MemberText {
  readonly did: string;
  readonly description: string | null;
  /** Other hashtags the member posted with, without '#'. */
  readonly coTags: readonly string[];
}

export interface CommunityName {
  /** The top keywords joined, or null when the community's members share no distinctive term. */
  readonly label: string | null;
  readonly keywords: string[];
}

/** Keywords reported per community, and how many of them make the label. */
export const KEYWORDS_PER_COMMUNITY = 5;
export const LABEL_KEYWORDS = 3;
/** A term names a community only if at least this share of its members (and two of them) use it. */
const MIN_SUPPORT = 0.05;

const STOP_WORDS = new Set(
  ('the and for with from that this are was were you your our its his her they them their about into over ' +
    'just not but all any can has have had also more most mostly very than then there here what who how why ' +
    'when where which will would one two via new now off out own per too use using based like love lots ' +
    'him she own opinions views mine').split(' '),
);
const WORD = /[\p{L}\p{N}][\p{L}\p{N}'+-]*[\p{L}\p{N}+]/gu;

/** The distinct terms of one member: bio words (lower case, 3+ characters) and `#tags`. */
export function termsOf(text: MemberText): Set<string> {
  const terms = new Set<string>();
  for (const match of (text.description ?? '').toLowerCase().matchAll(WORD)) {
    const word = match[0];
    if (word.length < 3 || STOP_WORDS.has(word) || /^\d+$/.test(word)) continue;
    terms.add(word);
  }
  for (const tag of text.coTags) if (tag) terms.add(`#${tag.toLowerCase()}`);
  return terms;
}

export function nameCommunities(assignment: ReadonlyMap<string, number>, texts: Iterable<MemberText>): Map<number, CommunityName> {
  const perCommunity = new Map<number, { members: number; terms: Map<string, number> }>();
  for (const id of assignment.values()) if (!perCommunity.has(id)) perCommunity.set(id, { members: 0, terms: new Map() });
  for (const id of assignment.values()) (perCommunity.get(id) as { members: number }).members++;
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    const id = assignment.get(text.did);
    if (id === undefined) continue;
    const c = perCommunity.get(id) as { terms: Map<string, number> };
    for (const term of termsOf(text)) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
      c.terms.set(term, (c.terms.get(term) ?? 0) + 1);
    }
  }
  const total = assignment.size;
  const names = new Map<number, CommunityName>();
  for (const [id, c] of perCommunity) {
    const minimum = Math.max(2, Math.ceil(c.members * MIN_SUPPORT));
    const ranked = [...c.terms]
      .filter(([, n]) => n >= minimum)
      .map(([term, n]) => ({ term, weight: (n / c.members) * Math.log(total / (documentFrequency.get(term) as number)) }))
      .filter((t) => t.weight > 0)
      .sort((a, b) => b.weight - a.weight || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0));
    const keywords = ranked.slice(0, KEYWORDS_PER_COMMUNITY).map((t) => t.term);
    names.set(id, { label: keywords.length ? keywords.slice(0, LABEL_KEYWORDS).join(' · ') : null, keywords });
  }
  return names;
}
