/** Query-parameter checks with the messages lexicon validation gives (400 InvalidRequest). */
import { invalidRequest } from '../xrpc-error.js';

export function requiredString(params: URLSearchParams, name: string): string {
  const value = params.get(name);
  if (value === null || value === '') throw invalidRequest(`Error: Params must have the property "${name}"`);
  return value;
}

export function intParam(params: URLSearchParams, name: string, min: number, max: number, fallback: number): number {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw invalidRequest(`Error: Params/${name} must be an integer`);
  const value = Number(raw);
  if (value < min) throw invalidRequest(`Error: Params/${name} can not be less than ${min}`);
  if (value > max) throw invalidRequest(`Error: Params/${name} can not be greater than ${max}`);
  return value;
}

/** Offsets are our cursors: opaque to clients, but they must come back unchanged. */
export function offsetCursor(params: URLSearchParams): number {
  const raw = params.get('cursor');
  if (raw === null || raw === '') return 0;
  if (!/^\d+$/.test(raw)) throw invalidRequest('Malformed cursor');
  return Number(raw);
}

/** A datetime or a bare date, as searchPosts's since/until accept. */
export function timeParam(params: URLSearchParams, name: string): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw invalidRequest(`Error: Params/${name} must be a valid datetime`, 'BadQueryString');
  return ms;
}
