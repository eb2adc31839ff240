/**
 * Community ids that survive a recomputation (pure). A new community takes the id of the previous
 * community it shares most members with, when it holds most of that community's members; each old
 * id goes to one community at most. The rest get ids never used before, so an id (and the colour and
 * name a user learnt for it) never jumps to an unrelated group.
 */
export function stableCommunityIds(fresh: ReadonlyMap<string, number>, previous: ReadonlyMap<string, number> | null): Map<string, number> {
  if (!previous || previous.size === 0) return new Map(fresh);
  const oldSizes = countBy(previous);
  const overlaps = new Map<string, { fresh: number; old: number; shared: number }>();
  for (const [did, id] of fresh) {
    const old = previous.get(did);
    if (old === undefined) continue;
    const key = `${id} ${old}`;
    const o = overlaps.get(key);
    if (o) o.shared++;
    else overlaps.set(key, { fresh: id, old, shared: 1 });
  }
  // Largest overlaps first; ties by ids, so the matching does not depend on map order.
  const candidates = [...overlaps.values()].sort((a, b) => b.shared - a.shared || a.fresh - b.fresh || a.old - b.old);
  const renamed = new Map<number, number>();
  const taken = new Set<number>();
  for (const c of candidates) {
    if (renamed.has(c.fresh) || taken.has(c.old)) continue;
    if (c.shared * 2 <= (oldSizes.get(c.old) as number)) continue;
    renamed.set(c.fresh, c.old);
    taken.add(c.old);
  }
  let next = Math.max(-1, ...previous.values()) + 1;
  // Unmatched communities, in their canonical order (largest first), take the next unused ids.
  for (const id of [...new Set(fresh.values())].sort((a, b) => a - b)) if (!renamed.has(id)) renamed.set(id, next++);
  const out = new Map<string, number>();
  for (const [did, id] of fresh) out.set(did, renamed.get(id) as number);
  return out;
}

function countBy(assignment: ReadonlyMap<string, number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const id of assignment.values()) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}
