/**
 * How well a found partition recovers the planted one: normalised mutual information,
 * NMI = 2·I(X;Y) / (H(X) + H(Y)), 1 for the same partition up to renaming, near 0 for unrelated ones.
 */
export function normalizedMutualInformation(truth: ReadonlyMap<string, number>, found: ReadonlyMap<string, number>): number {
  const keys = [...truth.keys()].filter((k) => found.has(k));
  const n = keys.length;
  if (n === 0) return 0;
  const joint = new Map<string, number>();
  const a = new Map<number, number>();
  const b = new Map<number, number>();
  for (const k of keys) {
    const x = truth.get(k) as number;
    const y = found.get(k) as number;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
    const key = `${x} ${y}`;
    joint.set(key, (joint.get(key) ?? 0) + 1);
  }
  const entropy = (counts: Map<number, number>) => [...counts.values()].reduce((h, c) => h - (c / n) * Math.log(c / n), 0);
  let mutual = 0;
  for (const [key, c] of joint) {
    const [x, y] = key.split(' ').map(Number) as [number, number];
    mutual += (c / n) * Math.log((c * n) / ((a.get(x) as number) * (b.get(y) as number)));
  }
  const hx = entropy(a);
  const hy = entropy(b);
  // Both partitions a single group: identical, though neither carries information.
  if (hx + hy === 0) return 1;
  return Math.min(1, (2 * mutual) / (hx + hy));
}
