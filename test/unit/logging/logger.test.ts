/** The logger writes JSON lines through pino and never prints a registered secret. */
import { describe, expect, it } from '@jest/globals';
import { createLogger, redact, scrub, silentLogger } from '../../../src/logging/logger.js';

function capture(level: Parameters<typeof createLogger>[0] = 'debug') {
  const lines: string[] = [];
  const logger = createLogger(level, 'test', (l) => lines.push(l));
  return { logger, lines, entries: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('writes one JSON object per entry with level, time, scope, message and fields', () => {
    const { logger, entries } = capture();
    logger.child('ingest').info('run started', { hashtag: 'databs', big: 12n, err: new Error('boom') });
    const [entry] = entries();
    expect(entry).toMatchObject({ level: 'info', scope: 'test:ingest', msg: 'run started', hashtag: 'databs', big: '12', err: { name: 'Error', message: 'boom' } });
    expect(new Date(entry!.time as string).toISOString()).toBe(entry!.time);
  });

  it('drops entries below its level, and silentLogger prints nothing', () => {
    const { logger, entries } = capture('warn');
    logger.info('quiet');
    logger.warn('loud');
    logger.child('a').child('b').error('nested');
    expect(entries().map((e) => [e.level, e.msg, e.scope])).toEqual([['warn', 'loud', 'test'], ['error', 'nested', 'test:a:b']]);
    expect(() => silentLogger.error('nothing')).not.toThrow();
  });

  it('redacts a secret holding a quote and a backslash, in the message and in nested fields', () => {
    const secret = 'pa"ss\\wo"rd-\\-9';
    redact(secret);
    const { logger, lines, entries } = capture();
    logger.error(`sign-in with ${secret} refused`, { detail: `upstream said ${secret}`, nested: { list: [secret], [secret]: 1 }, err: new Error(secret) });
    const text = lines.join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(JSON.stringify(secret).slice(1, -1));
    const [entry] = entries();
    expect(entry).toMatchObject({ msg: 'sign-in with [REDACTED] refused', detail: 'upstream said [REDACTED]', nested: { list: ['[REDACTED]'], '[REDACTED]': 1 }, err: { message: '[REDACTED]' } });
    expect(scrub(`x ${secret} y`)).toBe('x [REDACTED] y');
  });

  it('censors credential fields by name, whatever their value', () => {
    const { logger, entries } = capture();
    logger.warn('session', { password: 'not-registered', session: { accessJwt: 'eyJ.x.y' }, handle: 'alice.test' });
    expect(entries()[0]).toMatchObject({ password: '[REDACTED]', session: { accessJwt: '[REDACTED]' }, handle: 'alice.test' });
  });
});
