// The only reader of process.env. Every setting has one name in the environment,
// one field in Config and one row in the README's configuration table.
import { fileURLToPath } from 'node:url';
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
  KAPSO_MOCK_LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  KAPSO_MOCK_CORS: flag.default(true),
});

export interface Config {
  /** Interface to listen on (server.ts only). */
  host: string;
  /** Port to listen on; 0 picks a free one. */
  port: number;
  /** SQLite database file, or ':memory:'. */
  dbPath: string;
  /** A fixtures folder (every *.json in it) or one file; null seeds nothing. */
  fixturesPath: string | null;
  /** Replaces the API key of the first fixture project (the Demo Project). */
  apiKey?: string;
  logLevel: (typeof LOG_LEVELS)[number];
  cors: boolean;
}

export const defaults: Config = {
  host: '127.0.0.1',
  port: 4400,
  dbPath: ':memory:',
  fixturesPath: DEFAULT_FIXTURES,
  logLevel: 'info',
  cors: true,
};

/** Builds a Config for code that embeds the app (tests, startKapsoMock): defaults plus overrides. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaults, ...overrides };
}

export class ConfigError extends Error {}

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
    logLevel: e.KAPSO_MOCK_LOG_LEVEL,
    cors: e.KAPSO_MOCK_CORS,
  });
}
