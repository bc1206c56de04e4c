import { describe, expect, it } from 'vitest';
import { configFromOptions, DEFAULT_FIXTURES, defaults, loadConfig, parseCommand, SETTINGS, USAGE } from '../src/config.js';

describe('loadConfig', () => {
  it('has documented defaults', () => {
    expect(loadConfig({})).toEqual({
      host: '127.0.0.1',
      port: 4400,
      dbPath: ':memory:',
      fixturesPath: DEFAULT_FIXTURES,
      autoProvision: false,
      journalSize: 1000,
      rateLimit: 0,
      logLevel: 'info',
      cors: true,
      messagingWindow: true,
      autoApproveTemplates: false,
      autoMessageStatus: false,
      deliveredAfterMs: 1000,
      readAfterMs: 3000,
      webhookRetryDelaysMs: [10_000, 40_000, 90_000],
      webhookTimeoutMs: 10_000,
      webhookHistory: 1000,
      webhookHosts: [],
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
        KAPSO_MOCK_ADMIN_TOKEN: 't',
        KAPSO_MOCK_AUTO_PROVISION: 'true',
        KAPSO_MOCK_JOURNAL_SIZE: '50',
        KAPSO_MOCK_RATE_LIMIT: '600',
        KAPSO_MOCK_LOG_LEVEL: 'debug',
        KAPSO_MOCK_CORS: 'false',
        KAPSO_MOCK_MESSAGING_WINDOW: 'false',
        KAPSO_MOCK_AUTO_APPROVE_TEMPLATES: 'true',
        KAPSO_MOCK_AUTO_MESSAGE_STATUS: 'true',
        KAPSO_MOCK_DELIVERED_AFTER_MS: '250',
        KAPSO_MOCK_READ_AFTER_MS: '0',
        KAPSO_MOCK_WEBHOOK_RETRY_DELAYS_MS: '1000, 2000',
        KAPSO_MOCK_WEBHOOK_TIMEOUT_MS: '500',
        KAPSO_MOCK_WEBHOOK_HISTORY: '0',
        KAPSO_MOCK_WEBHOOK_HOSTS: '127.0.0.1, localhost,[::1]',
      }),
    ).toEqual({
      host: '0.0.0.0', port: 8080, dbPath: '/data/kapso.db', fixturesPath: '/fixtures', apiKey: 'k', adminToken: 't',
      autoProvision: true, journalSize: 50, rateLimit: 600, logLevel: 'debug', cors: false,
      messagingWindow: false, autoApproveTemplates: true, autoMessageStatus: true, deliveredAfterMs: 250, readAfterMs: 0,
      webhookRetryDelaysMs: [1000, 2000], webhookTimeoutMs: 500, webhookHistory: 0, webhookHosts: ['127.0.0.1', 'localhost', '[::1]'],
    });
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
    ['KAPSO_MOCK_JOURNAL_SIZE', '-1'],
    ['KAPSO_MOCK_RATE_LIMIT', 'fast'],
    ['KAPSO_MOCK_AUTO_PROVISION', 'sometimes'],
    ['KAPSO_MOCK_MESSAGING_WINDOW', 'sometimes'],
    ['KAPSO_MOCK_AUTO_MESSAGE_STATUS', 'yes please'],
    ['KAPSO_MOCK_AUTO_APPROVE_TEMPLATES', 'later'],
    ['KAPSO_MOCK_DELIVERED_AFTER_MS', '-1'],
    ['KAPSO_MOCK_READ_AFTER_MS', 'soon'],
    ['KAPSO_MOCK_WEBHOOK_RETRY_DELAYS_MS', '10s,40s'],
    ['KAPSO_MOCK_WEBHOOK_RETRY_DELAYS_MS', '1,2,3,4,5,6,7,8,9,10,11'],
    ['KAPSO_MOCK_WEBHOOK_TIMEOUT_MS', '0'],
    ['KAPSO_MOCK_WEBHOOK_HISTORY', 'all'],
    ['KAPSO_MOCK_WEBHOOK_HOSTS', 'http://localhost:3000'],
  ])('rejects %s=%s with a message naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`Invalid configuration:\\n  ${name}: `));
  });
});

describe('parseCommand (the CLI)', () => {
  it('flags mirror the environment variables and win over them', () => {
    const command = parseCommand(
      ['--port', '0', '--db', 'x.db', '--no-fixtures', '--api-key', 'k', '--admin-token', 't', '--auto-provision', '--journal-size', '5', '--rate-limit', '60', '--log-level', 'warn', '--no-cors', '--host', '0.0.0.0',
        '--no-messaging-window', '--auto-approve-templates', '--auto-message-status', '--delivered-after-ms', '100', '--read-after-ms', '200',
        '--webhook-retry-delays-ms', '', '--webhook-timeout-ms', '2500', '--webhook-history', '10', '--webhook-hosts', 'receiver.test'],
      { PORT: '9999', KAPSO_MOCK_LOG_LEVEL: 'debug', KAPSO_MOCK_READ_AFTER_MS: '5000' },
    );
    expect(command).toEqual({
      kind: 'serve',
      config: {
        host: '0.0.0.0', port: 0, dbPath: 'x.db', fixturesPath: null, apiKey: 'k', adminToken: 't',
        autoProvision: true, journalSize: 5, rateLimit: 60, logLevel: 'warn', cors: false,
        messagingWindow: false, autoApproveTemplates: true, autoMessageStatus: true, deliveredAfterMs: 100, readAfterMs: 200,
        webhookRetryDelaysMs: [], webhookTimeoutMs: 2500, webhookHistory: 10, webhookHosts: ['receiver.test'],
      },
    });
  });

  it('falls back to the environment', () => {
    const command = parseCommand([], { PORT: '9999' });
    expect(command.kind === 'serve' && command.config.port).toBe(9999);
  });

  it('--help and --version', () => {
    expect(parseCommand(['--help'], {})).toEqual({ kind: 'help' });
    expect(parseCommand(['-v'], {})).toEqual({ kind: 'version' });
  });

  it('an unknown flag is an error that shows the usage', () => {
    expect(() => parseCommand(['--prot', '1'], {})).toThrow(/Unknown option '--prot'[\s\S]*Usage: kapso-mock/);
  });

  it('a bad flag value names the variable it stands for', () => {
    expect(() => parseCommand(['--port', 'x'], {})).toThrow(/PORT/);
  });
});

describe('error messages name what the user typed and what is expected', () => {
  it.each([
    [['--port', 'abc'], {}, '  --port (PORT): expected a port number from 0 to 65535, got "abc"'],
    [['--port=-1'], {}, '  --port (PORT): expected a port number from 0 to 65535, got "-1"'],
    [[], { PORT: 'abc' }, '  PORT: expected a port number from 0 to 65535, got "abc"'],
    [['--journal-size', '1.5'], {}, '  --journal-size (KAPSO_MOCK_JOURNAL_SIZE): expected a whole number from 0 to 1000000, got "1.5"'],
    [['--log-level', 'loud'], {}, '  --log-level (KAPSO_MOCK_LOG_LEVEL): expected one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [[], { KAPSO_MOCK_CORS: 'maybe' }, '  KAPSO_MOCK_CORS: expected true or false (also 1/0, yes/no, on/off), got "maybe"'],
    [['--api-key', ''], {}, '  --api-key (KAPSO_MOCK_API_KEY): expected a non-empty key, got ""'],
  ])('%j with %j', (argv, env, line) => {
    expect(() => parseCommand(argv, env)).toThrow(`Invalid configuration:\n${line}`);
  });

  it('lists every bad value at once, the flag where a flag was used', () => {
    expect(() => parseCommand(['--rate-limit', 'fast'], { PORT: 'x', KAPSO_MOCK_RATE_LIMIT: '5' })).toThrow(
      'Invalid configuration:\n  PORT: expected a port number from 0 to 65535, got "x"\n'
      + '  --rate-limit (KAPSO_MOCK_RATE_LIMIT): expected a whole number of requests per minute (0 for no limit), got "fast"',
    );
  });

  it('a flag that wins over a bad variable makes the variable harmless', () => {
    const command = parseCommand(['--port', '5'], { PORT: 'x' });
    expect(command.kind === 'serve' && command.config.port).toBe(5);
  });
});

describe('one table drives the flags, --help, the defaults and startKapsoMock()', () => {
  it('--help lists every setting with its flag and variable', () => {
    for (const s of Object.values(SETTINGS)) {
      expect(USAGE).toMatch(new RegExp(`\\n {2}--${s.flag}\\b.*\\[${s.env}\\]`));
      if (s.off) expect(USAGE).toMatch(new RegExp(`\\n {2}--${s.off.flag}\\b.*\\[${s.env}\\]`));
    }
  });

  it('--cors switches CORS back on over KAPSO_MOCK_CORS=false', () => {
    const command = parseCommand(['--cors'], { KAPSO_MOCK_CORS: 'false' });
    expect(command.kind === 'serve' && command.config.cors).toBe(true);
  });

  it('startKapsoMock() defaults: a free port and no logs; options by their option names', () => {
    expect(configFromOptions({})).toEqual({ ...defaults, port: 0, logLevel: 'silent' });
    expect(configFromOptions({ port: 4401, db: 'x.db', apiKey: 'k', logLevel: 'warn', fixtures: null, cors: false })).toEqual({
      ...defaults, port: 4401, dbPath: 'x.db', apiKey: 'k', logLevel: 'warn', fixturesPath: null, cors: false,
    });
  });
});
