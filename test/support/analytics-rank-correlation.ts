/** Rank agreement between two rankings of the same items (tests comparing the two engines). */

/** Average ranks (1-based), ties sharing the mean of their positions. */
function averageRanks(values: number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho between score maps over the same keys (Pearson on average ranks). */
export function spearman(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const keys = [...a.keys()];
  if (keys.length !== b.size || keys.some((k) => !b.has(k))) throw new Error('rankings cover different items');
  const ra = averageRanks(keys.map((k) => a.get(k)!));
  const rb = averageRanks(keys.map((k) => b.get(k)!));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < keys.length; i++) {
    num += (ra[i]! - ma) * (rb[i]! - mb);
    da += (ra[i]! - ma) ** 2;
    db += (rb[i]! - mb) ** 2;
  }
  return da === 0 || db === 0 ? (da === db ? 1 : 0) : num / Math.sqrt(da * db);
}
