import { describe, expect, it } from 'vitest';
import { DEFAULT_FIXTURES, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4400,
      dbPath: ':memory:',
      fixturesPath: DEFAULT_FIXTURES,
      logLevel: 'info',
      cors: true,
    });
  });

  it('reads every variable', () => {
    expect(
      loadConfig({
        HOST: '0.0.0.0',
        PORT: '8080',
        KAPSO_MOCK_DB: '/data/kapso.db',
        KAPSO_MOCK_FIXTURES: '/fixtures',
        KAPSO_MOCK_API_KEY: 'k',
        KAPSO_MOCK_LOG_LEVEL: 'debug',
        KAPSO_MOCK_CORS: 'false',
      }),
    ).toEqual({ host: '0.0.0.0', port: 8080, dbPath: '/data/kapso.db', fixturesPath: '/fixtures', apiKey: 'k', logLevel: 'debug', cors: false });
  });

  it('an empty KAPSO_MOCK_FIXTURES switches seeding off', () => {
    expect(loadConfig({ KAPSO_MOCK_FIXTURES: '' }).fixturesPath).toBeNull();
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['KAPSO_MOCK_LOG_LEVEL', 'loud'],
    ['KAPSO_MOCK_CORS', 'maybe'],
    ['KAPSO_MOCK_API_KEY', ''],
  ])('rejects %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid configuration:\\n  ${name}: `));
  });
});
