/** Membership test for the `as const` value lists of this folder (narrows an unknown to the union). */
export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}
