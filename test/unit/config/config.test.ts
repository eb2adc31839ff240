import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, parseRateLimit } from '../../../src/config/config.js';

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const c = loadConfig({});
    expect(c.neo4j.uri).toBe('bolt://127.0.0.1:7687');
    expect(c.neo4j.user).toBe('neo4j');
    expect(c.bsky.service).toBe('https://bsky.social');
    expect(c.bsky.rateLimit).toEqual({ requests: 3000, seconds: 300 });
    expect(c.server.port).toBe(4000);
    expect(c.server.apiKey).toBeUndefined();
    expect(Object.isFrozen(c.bsky)).toBe(true);
  });

  it('reads every variable', () => {
    const c = loadConfig({
      NEO4J_URI: 'neo4j://db:7687',
      NEO4J_PASSWORD: 'secret-password',
      BSKY_SERVICE: 'http://127.0.0.1:2583/',
      BSKY_IDENTIFIER: 'me.test',
      BSKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop',
      BSKY_APPVIEW: 'http://127.0.0.1:2584',
      BSKY_RATE_LIMIT: '100/10',
      PORT: '0',
      API_KEY: '0123456789abcdef0123',
      API_KEY_QUERIES: 'true',
    });
    expect(c.bsky.service).toBe('http://127.0.0.1:2583');
    expect(c.bsky.rateLimit).toEqual({ requests: 100, seconds: 10 });
    expect(c.server.apiKeyQueries).toBe(true);
    expect(c.neo4j.password).toBe('secret-password');
  });

  it.each([
    ['NEO4J_URI', { NEO4J_URI: 'http://localhost:7474' }],
    ['NEO4J_URI', { NEO4J_URI: 'not a url' }],
    ['NEO4J_PASSWORD', { NEO4J_PASSWORD: 'short' }],
    ['BSKY_SERVICE', { BSKY_SERVICE: 'ftp://x' }],
    ['BSKY_APPVIEW', { BSKY_APPVIEW: '::' }],
    ['BSKY_RATE_LIMIT', { BSKY_RATE_LIMIT: 'fast' }],
    ['BSKY_RATE_LIMIT', { BSKY_RATE_LIMIT: '0/300' }],
    ['BSKY_APP_PASSWORD', { BSKY_IDENTIFIER: 'me.test' }],
    ['BSKY_IDENTIFIER', { BSKY_APP_PASSWORD: 'abcd-efgh-ijkl-mnop' }],
    ['BSKY_CONCURRENCY', { BSKY_CONCURRENCY: '0' }],
    ['PORT', { PORT: '70000' }],
    ['PORT', { PORT: '80a' }],
    ['API_KEY', { API_KEY: 'short' }],
    ['API_KEY_QUERIES', { API_KEY_QUERIES: 'maybe' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['NEO4J_QUERY_TIMEOUT_MS', { NEO4J_QUERY_TIMEOUT_MS: '-5' }],
  ])('names %s when it is malformed', (variable, env) => {
    const err = errorOf(env);
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variable).toBe(variable);
    expect(err.message.startsWith(`${variable}:`)).toBe(true);
  });

  it('never puts the app password in an error', () => {
    const err = errorOf({ BSKY_APP_PASSWORD: 'hunter2-hunter2', BSKY_RATE_LIMIT: 'x' });
    expect(err.message).not.toContain('hunter2');
  });

  it('reads where follows come from, and refuses anything else', () => {
    expect(loadConfig({}).bsky.followsFrom).toBe('appview');
    expect(loadConfig({}).bsky.pdsRateLimit).toEqual({ requests: 3000, seconds: 300 });
    const c = loadConfig({ BSKY_FOLLOWS_FROM: 'repo', BSKY_PDS_RATE_LIMIT: '50/1' });
    expect(c.bsky.followsFrom).toBe('repo');
    expect(c.bsky.pdsRateLimit).toEqual({ requests: 50, seconds: 1 });
    expect(errorOf({ BSKY_FOLLOWS_FROM: 'firehose' }).message).toMatch(/BSKY_FOLLOWS_FROM.*appview, repo/);
    expect(errorOf({ BSKY_PDS_RATE_LIMIT: 'lots' }).message).toMatch(/BSKY_PDS_RATE_LIMIT/);
  });

  it('parses rate limits', () => {
    expect(parseRateLimit('3000/300')).toEqual({ requests: 3000, seconds: 300 });
    expect(parseRateLimit(' 10 / 0.5 ')).toEqual({ requests: 10, seconds: 0.5 });
  });
});
