// The only reader of process.env and of command-line flags. Every setting has one
// environment variable, one flag, one field in Config and one row in the README's table.
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';

/** The fixtures shipped with the package (two projects, see README). */
export const DEFAULT_FIXTURES = fileURLToPath(new URL('../fixtures', import.meta.url));

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const EnvSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4400),
  KAPSO_MOCK_DB: z.string().min(1).default(':memory:'),
  KAPSO_MOCK_FIXTURES: z.string().optional(),
  KAPSO_MOCK_API_KEY: z.string().min(1).optional(),
  KAPSO_MOCK_ADMIN_TOKEN: z.string().min(1).optional(),
  KAPSO_MOCK_AUTO_PROVISION: flag.default(false),
  KAPSO_MOCK_JOURNAL_SIZE: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  KAPSO_MOCK_RATE_LIMIT: z.coerce.number().int().min(0).default(0),
  KAPSO_MOCK_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  KAPSO_MOCK_CORS: flag.default(true),
  KAPSO_MOCK_MESSAGING_WINDOW: flag.default(true),
  KAPSO_MOCK_AUTO_MESSAGE_STATUS: flag.default(false),
  KAPSO_MOCK_DELIVERED_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(1000),
  KAPSO_MOCK_READ_AFTER_MS: z.coerce.number().int().min(0).max(86_400_000).default(3000),
});
type EnvName = keyof typeof EnvSchema.shape;

export interface Config {
  /** Interface to listen on. */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** SQLite database file, or ':memory:'. */
  dbPath: string;
  /** A fixtures folder (every *.json in it) or one file; null seeds nothing. */
  fixturesPath: string | null;
  /** Replaces the API key of the first fixture project (the Demo Project). */
  apiKey?: string;
  /** When set, /__admin needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** An unknown API key creates its own empty project on first use. */
  autoProvision: boolean;
  /** Entries the request journal keeps (oldest dropped first); 0 switches it off. */
  journalSize: number;
  /** Requests per minute per API key; 0 switches rate limiting off. */
  rateLimit: number;
  logLevel: (typeof LOG_LEVELS)[number];
  cors: boolean;
  /** The 24-hour customer-service window: non-template messages to a number that has not written in 24 hours are refused. */
  messagingWindow: boolean;
  /** Outbound messages move sent -> delivered -> read by themselves, on the mock's clock. */
  autoMessageStatus: boolean;
  /** With autoMessageStatus: how long after being sent a message reads delivered (mock-clock ms). */
  deliveredAfterMs: number;
  /** With autoMessageStatus: how long after being delivered a message reads read (mock-clock ms). */
  readAfterMs: number;
}

export const defaults: Config = {
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
  autoMessageStatus: false,
  deliveredAfterMs: 1000,
  readAfterMs: 3000,
};

/** Builds a Config for code that embeds the app (tests, startKapsoMock): defaults plus overrides. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaults, ...overrides };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Command-line flags, each the twin of an environment variable (flags win). */
const FLAGS: Record<string, { env: EnvName; value?: string; negate?: boolean; help: string }> = {
  host: { env: 'HOST', value: 'HOST', help: 'interface to listen on (default 127.0.0.1)' },
  port: { env: 'PORT', value: 'N', help: 'port to listen on, 0 for any free port (default 4400)' },
  db: { env: 'KAPSO_MOCK_DB', value: 'FILE', help: 'SQLite file to keep state in (default :memory:)' },
  fixtures: { env: 'KAPSO_MOCK_FIXTURES', value: 'PATH', help: 'fixtures folder or file (default: the bundled fixtures)' },
  'no-fixtures': { env: 'KAPSO_MOCK_FIXTURES', negate: true, help: 'start with no data at all' },
  'api-key': { env: 'KAPSO_MOCK_API_KEY', value: 'KEY', help: "replaces the Demo Project's API key" },
  'admin-token': { env: 'KAPSO_MOCK_ADMIN_TOKEN', value: 'TOKEN', help: 'require "Authorization: Bearer TOKEN" on /__admin' },
  'auto-provision': { env: 'KAPSO_MOCK_AUTO_PROVISION', help: 'an unknown API key gets its own empty project' },
  'journal-size': { env: 'KAPSO_MOCK_JOURNAL_SIZE', value: 'N', help: 'requests the journal keeps, 0 for none (default 1000)' },
  'rate-limit': { env: 'KAPSO_MOCK_RATE_LIMIT', value: 'N', help: 'requests per minute per key, 0 for no limit (default 0)' },
  'log-level': { env: 'KAPSO_MOCK_LOG_LEVEL', value: 'LEVEL', help: 'fatal|error|warn|info|debug|trace|silent (default info)' },
  'no-cors': { env: 'KAPSO_MOCK_CORS', negate: true, help: 'no CORS headers' },
  'no-messaging-window': { env: 'KAPSO_MOCK_MESSAGING_WINDOW', negate: true, help: 'send non-template messages outside the 24-hour window too' },
  'auto-message-status': { env: 'KAPSO_MOCK_AUTO_MESSAGE_STATUS', help: 'outbound messages move sent -> delivered -> read by themselves' },
  'delivered-after-ms': { env: 'KAPSO_MOCK_DELIVERED_AFTER_MS', value: 'MS', help: 'with --auto-message-status: sent to delivered (default 1000)' },
  'read-after-ms': { env: 'KAPSO_MOCK_READ_AFTER_MS', value: 'MS', help: 'with --auto-message-status: delivered to read (default 3000)' },
};

export const USAGE = `Usage: kapso-mock [options]

A local emulator of Kapso's REST API on http://HOST:PORT/api/v1.
Each option has an environment variable twin (shown after it); options win.

Options:
${Object.entries(FLAGS)
  .map(([name, f]) => `  --${`${name}${f.value ? ` ${f.value}` : ''}`.padEnd(22)} ${f.help} [${f.env}]`)
  .join('\n')}
  --help                   show this help
  --version                show the version`;

export type Command = { kind: 'serve'; config: Config } | { kind: 'help' } | { kind: 'version' };

/** Reads flags (the CLI) and the environment into what to do. */
export function parseCommand(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Command {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        ...Object.fromEntries(Object.entries(FLAGS).map(([name, f]) => [name, { type: f.value ? 'string' : 'boolean' } as const])),
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const fromFlags: Record<string, string> = {};
  for (const [name, f] of Object.entries(FLAGS)) {
    const value = values[name];
    if (value === undefined) continue;
    if (typeof value === 'string') fromFlags[f.env] = value;
    else if (f.negate) fromFlags[f.env] = f.env === 'KAPSO_MOCK_FIXTURES' ? '' : 'false';
    else fromFlags[f.env] = 'true';
  }
  return { kind: 'serve', config: loadConfig({ ...env, ...fromFlags }) };
}

/** Reads the environment once, at start-up; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return makeConfig({
    host: e.HOST,
    port: e.PORT,
    dbPath: e.KAPSO_MOCK_DB,
    fixturesPath: e.KAPSO_MOCK_FIXTURES === undefined ? DEFAULT_FIXTURES : e.KAPSO_MOCK_FIXTURES === '' ? null : e.KAPSO_MOCK_FIXTURES,
    ...(e.KAPSO_MOCK_API_KEY !== undefined && { apiKey: e.KAPSO_MOCK_API_KEY }),
    ...(e.KAPSO_MOCK_ADMIN_TOKEN !== undefined && { adminToken: e.KAPSO_MOCK_ADMIN_TOKEN }),
    autoProvision: e.KAPSO_MOCK_AUTO_PROVISION,
    journalSize: e.KAPSO_MOCK_JOURNAL_SIZE,
    rateLimit: e.KAPSO_MOCK_RATE_LIMIT,
    logLevel: e.KAPSO_MOCK_LOG_LEVEL,
    cors: e.KAPSO_MOCK_CORS,
    messagingWindow: e.KAPSO_MOCK_MESSAGING_WINDOW,
    autoMessageStatus: e.KAPSO_MOCK_AUTO_MESSAGE_STATUS,
    deliveredAfterMs: e.KAPSO_MOCK_DELIVERED_AFTER_MS,
    readAfterMs: e.KAPSO_MOCK_READ_AFTER_MS,
  });
}
