/**
 * Structured JSON logging through pino: one line per entry ({"level","time","scope","msg",...fields}).
 *
 * Secrets registered with `redact()` are replaced in the message and in every field value *before*
 * pino serialises the entry: after serialisation a secret holding `"` or `\` would appear escaped
 * (`\"`, `\\`) and a plain text search for it would miss. Fields whose names are known to carry
 * credentials are censored by path (pino's redact) whatever their value.
 */
import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import type { LogLevel } from '../config/config.js';

const CENSOR = '[REDACTED]';
const secrets = new Set<string>();

/** Field names censored wherever they appear at the top level or one object down. */
const SECRET_KEYS = ['password', 'appPassword', 'apiKey', 'authorization', 'accessJwt', 'refreshJwt', 'token'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`]);

/** Registers a value that must never be printed (app password, API key, access tokens). */
export function redact(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

export function scrub(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(CENSOR);
  return out;
}

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

/** Receives each serialised entry, one JSON object without the trailing newline. */
export type LogSink = (line: string) => void;

export function createLogger(level: LogLevel, scope = 'bsky-graph', sink?: LogSink): Logger {
  const root = pino(
    {
      level,
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    destination(sink),
  );
  return scoped(root, scope);
}

/**
 * Every scope is a child of the one root (not of its parent scope), so an entry carries a single
 * `scope` key: pino would repeat a key bound again by a grandchild.
 */
function scoped(root: PinoLogger, scope: string): Logger {
  const log = root.child({ scope });
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (!log.isLevelEnabled(lvl)) return;
    if (fields && Object.keys(fields).length) log[lvl](scrubValue(fields, new WeakSet()) as object, scrub(msg));
    else log[lvl](scrub(msg));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (s) => scoped(root, `${scope}:${s}`),
  };
}

// process.stderr writes synchronously to files, terminals and (on Linux) pipes: the CLI may exit
// right after logging its last error.
const toStderr: LogSink = (line) => process.stderr.write(line + '\n');

function destination(sink: LogSink = toStderr): DestinationStream {
  return { write: (line: string) => sink(scrubSerialised(line.endsWith('\n') ? line.slice(0, -1) : line)) };
}

/** A copy of a field value with every registered secret replaced (strings, keys, nested values). */
function scrubValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrub(value);
  if (typeof value === 'bigint') return value.toString();
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  // Errors keep their name and message; stacks go in a field of their own when a caller wants one.
  if (value instanceof Error) return { name: value.name, message: scrub(value.message) };
  if (Array.isArray(value)) return value.map((v) => scrubValue(v, seen));
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value; // Date, driver types: their own toJSON
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubValue(v, seen)]));
}

/**
 * The last guard, for values scrubValue leaves to their own toJSON: a secret in its raw form and in
 * its JSON-escaped form.
 */
function scrubSerialised(line: string): string {
  let out = scrub(line);
  for (const s of secrets) {
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) out = out.split(escaped).join(CENSOR);
  }
  return out;
}

export const silentLogger: Logger = createLogger('silent');
