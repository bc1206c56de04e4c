// The only reader of process.env and of command-line flags. Every setting is one row of
// SETTINGS (name, environment variable, flag, zod schema, default, help); the rest is derived
// from it: the Config type, `defaults`, the flags and `--help`, the error messages, the options
// of startKapsoMock() (src/index.ts) and the README's configuration table (npm run docs).
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { packagePath } from './paths.js';

/** The fixtures shipped with the package (two projects, see docs/fixtures.md). */
export const DEFAULT_FIXTURES = packagePath('fixtures');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const onOff = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const whole = (max: number) => z.string().regex(/^\s*\d+\s*$/).transform(Number).pipe(z.number().int().max(max));
/** Comma-separated whole numbers (`10000,40000,90000`); empty for none. */
const wholeList = (maxEach: number, maxCount: number) => z
  .string()
  .regex(/^\s*(\d+\s*(,\s*\d+\s*)*)?$/)
  .transform((s) => (s.trim() === '' ? [] : s.split(',').map(Number)))
  .pipe(z.array(z.number().int().max(maxEach)).max(maxCount));
/** Comma-separated host names or IP addresses; empty for none. */
const hostList = z
  .string()
  .transform((s) => s.split(',').map((h) => h.trim()).filter((h) => h !== ''))
  .pipe(z.array(z.string().regex(/^[\w.:[\]-]+$/)));

/** One setting. `T` is its value in Config; the schema reads it from the variable's (or flag's) text. */
interface Setting<T, O extends string = string> {
  /** Environment variable. */
  env: string;
  /** Command-line flag, without the dashes. */
  flag: string;
  /** The flag's value in --help (`--port N`); absent for a switch (`--auto-provision`). */
  value?: string;
  /** A second flag that turns the setting off (`--no-cors`), and the variable text it stands for. */
  off?: { flag: string; env: string; help: string };
  schema: z.ZodType<T>;
  /** What a valid value is, for the error message. */
  expected: string;
  /** Unset: the setting is optional (no value unless given). */
  default?: NoInfer<T>;
  /** The default as --help and the README show it, where the value itself would not say it. */
  shown?: string;
  /** The option of startKapsoMock() for this setting, and its default there when it differs. */
  option: O;
  embedded?: NoInfer<T>;
  /** One line of --help. */
  help: string;
  /** The README's "Meaning" column (Markdown). */
  doc: string;
}

// The helpers keep each row's value type (from its schema) and its option name (a literal).
const setting = <T, const O extends string>(s: Setting<T, O> & { default: NoInfer<T> }) => ({ ...s, optional: false as const });
const optional = <T, const O extends string>(s: Omit<Setting<T, O>, 'default'>) => ({ ...s, optional: true as const });
/** An on/off setting: `true`/`false` and their spellings (1/0, yes/no, on/off). */
const switchSetting = <const O extends string>(s: Omit<Setting<boolean, O>, 'schema' | 'expected'> & { default: boolean }) =>
  setting({ ...s, schema: onOff, expected: 'true or false (also 1/0, yes/no, on/off)' });

export const SETTINGS = {
  host: setting({
    env: 'HOST', flag: 'host', value: 'HOST', option: 'host',
    schema: z.string().min(1), expected: 'a host name or IP address', default: '127.0.0.1',
    help: 'interface to listen on',
    doc: 'Interface to listen on (`0.0.0.0` in the Docker image).',
  }),
  port: setting({
    env: 'PORT', flag: 'port', value: 'N', option: 'port',
    schema: whole(65535), expected: 'a port number from 0 to 65535', default: 4400, embedded: 0,
    help: 'port to listen on, 0 for any free port',
    doc: 'Port to listen on; `0` picks a free port (the start-up line shows it). `startKapsoMock()` picks a free one unless told.',
  }),
  dbPath: setting({
    env: 'KAPSO_MOCK_DB', flag: 'db', value: 'FILE', option: 'db',
    schema: z.string().min(1), expected: 'a file path or :memory:', default: ':memory:',
    help: 'SQLite file to keep state in',
    doc: 'SQLite database. `:memory:` starts from the fixtures every time. A file path keeps state across restarts: a new file is created, migrated and seeded; an existing file is migrated and kept as it is. File databases use WAL, checkpointed in a background thread (docs/behaviour.md, "A database file"). The Docker image uses `/data/kapso-mock.db`.',
  }),
  fixturesPath: setting({
    env: 'KAPSO_MOCK_FIXTURES', flag: 'fixtures', value: 'PATH', option: 'fixtures',
    off: { flag: 'no-fixtures', env: '', help: 'start with no data at all' },
    schema: z.string().transform((s): string | null => (s === '' ? null : s)), expected: 'a fixtures folder or file', default: DEFAULT_FIXTURES,
    shown: 'the bundled fixtures',
    help: 'fixtures folder or file',
    doc: 'A fixtures folder (every `*.json` in it, in name order) or a single file ([format](docs/fixtures.md)). Empty (or `--no-fixtures`): seed nothing. `startKapsoMock()` also takes a fixtures document, or `false`.',
  }),
  apiKey: optional({
    env: 'KAPSO_MOCK_API_KEY', flag: 'api-key', value: 'KEY', option: 'apiKey',
    schema: z.string().min(1), expected: 'a non-empty key',
    help: "replaces the first fixture project's API key",
    doc: 'Replaces the API key of the first fixture project (the Demo Project). Also applied to an existing database file. Not printed in the logs.',
  }),
  adminToken: optional({
    env: 'KAPSO_MOCK_ADMIN_TOKEN', flag: 'admin-token', value: 'TOKEN', option: 'adminToken',
    schema: z.string().min(1), expected: 'a non-empty token',
    help: 'require "Authorization: Bearer TOKEN" on /__admin',
    doc: 'When set, every `/__admin` call needs `Authorization: Bearer <token>`. Unset: the admin API is open (local use).',
  }),
  autoProvision: switchSetting({
    env: 'KAPSO_MOCK_AUTO_PROVISION', flag: 'auto-provision', option: 'autoProvision',
    default: false,
    help: 'an unknown API key gets its own empty project',
    doc: 'An unknown API key creates its own empty project on first use.',
  }),
  journalSize: setting({
    env: 'KAPSO_MOCK_JOURNAL_SIZE', flag: 'journal-size', value: 'N', option: 'journalSize',
    schema: whole(1_000_000), expected: 'a whole number from 0 to 1000000', default: 1000,
    help: 'requests the journal keeps, 0 for none',
    doc: 'Requests the journal keeps (oldest dropped first); `0` records nothing.',
  }),
  rateLimit: setting({
    env: 'KAPSO_MOCK_RATE_LIMIT', flag: 'rate-limit', value: 'N', option: 'rateLimit',
    schema: whole(Number.MAX_SAFE_INTEGER), expected: 'a whole number of requests per minute (0 for no limit)', default: 0,
    help: 'requests per minute per key, 0 for no limit',
    doc: 'Requests per minute per API key; `0` means no limit.',
  }),
  logLevel: setting({
    env: 'KAPSO_MOCK_LOG_LEVEL', flag: 'log-level', value: 'LEVEL', option: 'logLevel',
    schema: z.enum(LOG_LEVELS), expected: `one of ${LOG_LEVELS.join(', ')}`, default: 'info', embedded: 'silent',
    help: LOG_LEVELS.join('|'),
    doc: '`fatal`, `error`, `warn`, `info`, `debug` (one line per request), `trace` or `silent`. API keys are never logged. `startKapsoMock()` logs nothing unless told.',
  }),
  cors: switchSetting({
    env: 'KAPSO_MOCK_CORS', flag: 'cors', option: 'cors',
    off: { flag: 'no-cors', env: 'false', help: 'no CORS headers' },
    default: true,
    help: 'CORS headers for browser frontends (on by default)',
    doc: 'CORS headers for browser frontends (`false` or `--no-cors` to switch them off).',
  }),
  messagingWindow: switchSetting({
    env: 'KAPSO_MOCK_MESSAGING_WINDOW', flag: 'messaging-window', option: 'messagingWindow',
    off: { flag: 'no-messaging-window', env: 'false', help: 'send any message to any number, as if every window were open' },
    default: true,
    help: "the 24-hour window: refuse non-template messages to numbers that have not written in 24 h (on by default)",
    doc: "WhatsApp's 24-hour customer-service window: a non-template message to a number whose last inbound message is older than 24 hours (mock clock), or that never wrote, is refused. `false` (or `--no-messaging-window`) switches the rule off.",
  }),
  autoApproveTemplates: switchSetting({
    env: 'KAPSO_MOCK_AUTO_APPROVE_TEMPLATES', flag: 'auto-approve-templates', option: 'autoApproveTemplates',
    default: false,
    help: 'templates created or edited through the Meta proxy are approved at once',
    doc: 'A template created or edited through the Meta proxy (`POST /{business_account_id}/message_templates`) is `APPROVED` at once. Off: it waits in review (`PENDING`) until `POST /__admin/templates/{id}/review` approves or rejects it.',
  }),
  autoMessageStatus: switchSetting({
    env: 'KAPSO_MOCK_AUTO_MESSAGE_STATUS', flag: 'auto-message-status', option: 'autoMessageStatus',
    default: false,
    help: 'outbound messages move sent -> delivered -> read by themselves',
    doc: 'Outbound messages move `sent` -> `delivered` -> `read` by themselves after the delays below, on the mock\'s clock (a frozen clock moves nothing until advanced). Off: they move only through `POST /__admin/messages/{id}/status`.',
  }),
  deliveredAfterMs: setting({
    env: 'KAPSO_MOCK_DELIVERED_AFTER_MS', flag: 'delivered-after-ms', value: 'MS', option: 'deliveredAfterMs',
    schema: whole(86_400_000), expected: 'a whole number of milliseconds up to 86400000', default: 1000,
    help: 'with auto-message-status: sent -> delivered after this many ms',
    doc: 'With automatic statuses: how long after it is sent a message reads `delivered` (mock-clock milliseconds).',
  }),
  readAfterMs: setting({
    env: 'KAPSO_MOCK_READ_AFTER_MS', flag: 'read-after-ms', value: 'MS', option: 'readAfterMs',
    schema: whole(86_400_000), expected: 'a whole number of milliseconds up to 86400000', default: 3000,
    help: 'with auto-message-status: delivered -> read after this many ms',
    doc: 'With automatic statuses: how long after it is delivered a message reads `read` (mock-clock milliseconds).',
  }),
  webhookRetryDelaysMs: setting({
    env: 'KAPSO_MOCK_WEBHOOK_RETRY_DELAYS_MS', flag: 'webhook-retry-delays-ms', value: 'MS,MS,...', option: 'webhookRetryDelaysMs',
    schema: wholeList(86_400_000, 10), expected: 'up to 10 comma-separated whole numbers of milliseconds (each at most 86400000), or empty for no retries',
    default: [10_000, 40_000, 90_000],
    help: 'webhook retries: mock-clock ms after each failed attempt',
    doc: 'When a failed webhook delivery is tried again: mock-clock milliseconds after each failed attempt (Kapso: 10 s, 40 s, 90 s, so four attempts in all); empty: no retries. A frozen clock retries when advanced past them.',
  }),
  webhookTimeoutMs: setting({
    env: 'KAPSO_MOCK_WEBHOOK_TIMEOUT_MS', flag: 'webhook-timeout-ms', value: 'MS', option: 'webhookTimeoutMs',
    schema: whole(600_000).pipe(z.number().min(1)), expected: 'a whole number of milliseconds from 1 to 600000', default: 10_000,
    help: 'a webhook delivery attempt times out after this many real ms',
    doc: 'How long a receiver has to answer a webhook delivery, in real milliseconds (Kapso: 10 s); a frozen clock never holds a delivery.',
  }),
  webhookHistory: setting({
    env: 'KAPSO_MOCK_WEBHOOK_HISTORY', flag: 'webhook-history', value: 'N', option: 'webhookHistory',
    schema: whole(1_000_000), expected: 'a whole number from 0 to 1000000', default: 1000,
    help: 'finished webhook deliveries kept (pending ones are never dropped)',
    doc: 'Finished webhook deliveries `/__admin/webhook_deliveries` keeps (oldest dropped first); pending deliveries are never dropped.',
  }),
  webhookHosts: setting({
    env: 'KAPSO_MOCK_WEBHOOK_HOSTS', flag: 'webhook-hosts', value: 'HOST,HOST,...', option: 'webhookHosts',
    schema: hostList, expected: 'comma-separated host names or IP addresses', default: [], shown: 'any host',
    help: 'webhook deliveries go only to these hosts (default: any)',
    doc: 'When set, webhook deliveries go only to these hosts (`127.0.0.1,localhost`); a delivery to another host fails without a connection. Keeps a test run from calling a URL copied from production.',
  }),
};

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;
type ValueOf<K extends SettingName> = Settings[K] extends Setting<infer T> ? T : never;
type RequiredSettings = { [K in SettingName as Settings[K]['optional'] extends true ? never : K]: ValueOf<K> };
type OptionalSettings = { [K in SettingName as Settings[K]['optional'] extends true ? K : never]?: ValueOf<K> };

/** Everything the server needs, one field per row of SETTINGS (see the README's table). */
export interface Config extends RequiredSettings, OptionalSettings {}

/** startKapsoMock()'s options: one per setting, under the row's `option` name. */
export type SettingOptions = { [K in SettingName as Settings[K]['option']]?: ValueOf<K> };

const entries = Object.entries(SETTINGS) as [SettingName, Setting<unknown> & { optional: boolean }][];

export const defaults: Config = Object.fromEntries(
  entries.filter(([, s]) => !s.optional).map(([name, s]) => [name, s.default]),
) as unknown as Config;

/** Builds a Config for code that embeds the app (tests, startKapsoMock): defaults plus overrides. */
export function makeConfig(overrides: Partial<Config> = {}): Config {
  return { ...defaults, ...overrides };
}

/** The Config for startKapsoMock(options): the embedded defaults (a free port, no logs), then the options. */
export function configFromOptions(options: SettingOptions): Config {
  const config: Record<string, unknown> = { ...defaults };
  for (const [name, s] of entries) {
    const given = (options as Record<string, unknown>)[s.option];
    if (given !== undefined) config[name] = given;
    else if (s.embedded !== undefined) config[name] = s.embedded;
  }
  return config as unknown as Config;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** `  --port N   port to listen on, 0 for any free port (default: 4400) [PORT]` */
function usageLine(flag: string, help: string, env: string): string {
  return `  ${flag.padEnd(24)} ${help} [${env}]`;
}

export const USAGE = `Usage: kapso-mock [options]

A local emulator of Kapso's REST API on http://HOST:PORT/api/v1.
Each option has an environment variable twin (shown after it); options win.

Options:
${entries
  .flatMap(([, s]) => {
    const shown = s.optional || s.value === undefined ? '' : ` (default: ${s.shown ?? String(s.default)})`;
    const main = usageLine(`--${s.flag}${s.value ? ` ${s.value}` : ''}`, `${s.help}${shown}`, s.env);
    return s.off ? [main, usageLine(`--${s.off.flag}`, s.off.help, s.env)] : [main];
  })
  .join('\n')}
  --help                   show this help
  --version                show the version`;

export type Command = { kind: 'serve'; config: Config } | { kind: 'help' } | { kind: 'version' };

/** A value and where it came from: the flag as typed, or the environment variable. */
interface Given { text: string; from: string }

/** Reads flags (the CLI) and the environment into what to do. Flags win over the environment. */
export function parseCommand(argv: string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): Command {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
    help: { type: 'boolean', short: 'h' },
    version: { type: 'boolean', short: 'v' },
  };
  for (const [, s] of entries) {
    options[s.flag] = { type: s.value ? 'string' : 'boolean' };
    if (s.off) options[s.off.flag] = { type: 'boolean' };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, strict: true, options }).values as typeof values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const given: Partial<Record<SettingName, Given>> = {};
  for (const [name, s] of entries) {
    const value = values[s.flag];
    if (typeof value === 'string') given[name] = { text: value, from: `--${s.flag} (${s.env})` };
    else if (value === true) given[name] = { text: 'true', from: `--${s.flag} (${s.env})` };
    else if (s.off && values[s.off.flag]) given[name] = { text: s.off.env, from: `--${s.off.flag} (${s.env})` };
  }
  return { kind: 'serve', config: readSettings(env, given) };
}

/** Reads the environment once, at start-up; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return readSettings(env, {});
}

function readSettings(env: NodeJS.ProcessEnv, flags: Partial<Record<SettingName, Given>>): Config {
  const config: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, s] of entries) {
    const given = flags[name] ?? (env[s.env] === undefined ? undefined : { text: env[s.env]!, from: s.env });
    if (given === undefined) {
      if (!s.optional) config[name] = s.default;
      continue;
    }
    const parsed = s.schema.safeParse(given.text);
    if (parsed.success) config[name] = parsed.data;
    else problems.push(`  ${given.from}: expected ${s.expected}, got ${JSON.stringify(given.text)}`);
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`);
  return config as unknown as Config;
}

/** The README's configuration table (npm run docs writes it; test/docs.test.ts checks it). */
export function configurationTable(): string {
  const code = (s: string) => `\`${s}\``;
  const rows = entries.map(([, s]) => {
    const flags = [`--${s.flag}`, ...(s.off ? [`--${s.off.flag}`] : [])];
    const shown = s.optional ? 'unset' : s.shown ?? code(String(s.default));
    const embedded = s.embedded === undefined ? '' : ` (${code(String(s.embedded))} in \`startKapsoMock\`)`;
    return `| ${code(s.env)} | ${flags.map(code).join(', ')} | ${code(s.option)} | ${shown}${embedded} | ${s.doc} |`;
  });
  return ['| Variable | Flag | Option | Default | Meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
