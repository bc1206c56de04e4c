// Isolated apps for tests (in-memory database each) and a client that checks every
// response it receives against the OpenAPI document.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { settingsFrom } from '../../src/admin/settings/settings.js';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createClock, type Clock } from '../../src/clock.js';
import { makeConfig, type Config } from '../../src/config.js';
import { getContract } from './contract.js';
import { demo, other, seed } from './seed.js';


export const DEMO_KEY = demo.api_key;
export const OTHER_KEY = other.api_key;

const named = (kind: Parameters<typeof seed.find>[0], name: string) => seed.find(kind, name).id;
const link = (agent: string, config: string) =>
  seed.find('agentWhatsappConfigs', (r) => r.whatsapp_config_id === config && seed.parentOf(String(r.id)) === agent).id;

const acmeSupport = named('whatsappConfigs', 'Acme Support');
const acmeSales = named('whatsappConfigs', 'Acme Sales');
const globexOrders = named('whatsappConfigs', 'Globex Orders');
const umbrellaConfig = named('whatsappConfigs', 'Umbrella Appointments');
const supportAgent = named('agents', 'Customer Support Agent');
const orderAgent = named('agents', 'Order Status Agent');
const otherAgent = named('agents', 'Appointment Reminder Agent');

/** Seeded records the tests name, read from fixtures/ (docs/fixtures.md lists them). */
export const ids = {
  demoProject: demo.id,
  otherProject: other.id,
  acme: named('customers', 'Acme Corporation'),
  globex: named('customers', 'Globex Retail'),
  initech: named('customers', 'Initech Logistics'),
  umbrella: named('customers', 'Umbrella Health Clinics'),
  acmeSupport,
  acmeSales,
  globexOrders,
  initechDispatch: named('whatsappConfigs', 'Initech Dispatch'),
  umbrellaConfig,
  supportAgent,
  orderAgent,
  otherAgent,
  supportPrimaryLink: link(supportAgent, acmeSupport),
  supportSalesLink: link(supportAgent, acmeSales),
  orderLink: link(orderAgent, globexOrders),
  otherLink: link(otherAgent, umbrellaConfig),
} as const;

export const MISSING_ID = '99999999-9999-4999-8999-999999999999';

const open: FastifyInstance[] = [];
/** Closes the apps makeApp() opened during a test (test/setup.ts calls it after each test). */
export async function closeOpenApps(): Promise<void> {
  await Promise.all(open.splice(0).map((app) => app.close()));
}

/**
 * One app for a whole test file, put back to its fixtures before each test: a reset costs a few
 * milliseconds where a new app costs about a hundred. For suites of many tests that use the API
 * only (no journal, faults, settings or clock assertions), such as the operation-table suites.
 */
export function sharedApp(overrides: Partial<Config> = {}): { readonly app: FastifyInstance } {
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    app = buildApp(makeConfig({ logLevel: 'silent', ...overrides }));
    await app.ready();
  });
  beforeEach(() => app!.state.resetAll());
  afterAll(async () => {
    await app?.close();
  });
  return {
    get app() {
      return app!;
    },
  };
}

interface Pooled {
  app: FastifyInstance;
  clock: Clock;
  config: Config;
  closed: boolean;
  /** Subscriptions a test added to the app's event bus, undone when the app is handed out again. */
  subscriptions: (() => void)[];
}

/** Frozen-clock apps of this test file, by their config overrides: handed out again, reset, instead of built anew. */
const pool = new Map<string, Pooled>();
/** Closes the frozen-clock apps a test file used (test/setup.ts calls it after each file). */
export async function closePooledApps(): Promise<void> {
  await Promise.all([...pool.values()].map((p) => (p.closed ? undefined : p.app.close())));
  pool.clear();
}

/** Everything a test can change, back as the app started: data, snapshots, journal, faults, settings, subscriptions. */
function restore(p: Pooled): void {
  const { app, config } = p;
  for (const undo of p.subscriptions.splice(0)) undo();
  for (const s of app.state.snapshots()) app.state.deleteSnapshot(s.name);
  app.state.resetAll();
  app.journal.clear();
  if (app.journal.capacity !== config.journalSize) app.journal.resize(config.journalSize);
  app.faults.clear();
  Object.assign(app.settings, settingsFrom(config));
  app.rateLimiter.clear();
}

/**
 * A ready app whose clock is frozen at `at` (tests move it with clock.advance), with its client and
 * database. Within a test file the same app is handed out again, put back to its fixtures and
 * settings (a reset costs milliseconds, a new app about a hundred), unless the last test closed it
 * or loaded fixtures of its own.
 */
export async function makeFrozenApp(at: string, overrides: Partial<Config> = {}) {
  const key = JSON.stringify(overrides);
  let p = pool.get(key);
  if (p && (p.closed || p.app.state.fixtures() !== p.app.fixtures)) {
    if (!p.closed) await p.app.close();
    p = undefined;
  }
  if (p) {
    p.clock.freeze(Date.parse(at));
    restore(p);
  } else {
    const clock = createClock();
    clock.freeze(Date.parse(at));
    const config = makeConfig({ logLevel: 'silent', ...overrides });
    const app = buildApp(config, { clock });
    await app.ready();
    const entry: Pooled = { app, clock, config, closed: false, subscriptions: [] };
    // A test that closes the app ends its reuse.
    const close = app.close.bind(app);
    app.close = (() => {
      entry.closed = true;
      return close();
    }) as typeof app.close;
    // Subscriptions made by tests are remembered so the next test starts without them.
    for (const method of ['onLive', 'onDurable'] as const) {
      const subscribe = app.events[method].bind(app.events);
      app.events[method] = (fn) => {
        const undo = subscribe(fn);
        entry.subscriptions.push(undo);
        return undo;
      };
    }
    pool.set(key, entry);
    p = entry;
  }
  return { app: p.app, api: client(p.app), clock: p.clock, db: p.app.db };
}

/** A ready app with its own in-memory database and the default fixtures; closed after the test. */
export async function makeApp(overrides: Partial<Config> = {}, deps: AppDeps = {}): Promise<FastifyInstance> {
  const app = buildApp(makeConfig({ logLevel: 'silent', ...overrides }), deps);
  open.push(app);
  await app.ready();
  return app;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
  raw: string;
}

export interface CallOptions {
  key?: string | null;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A client bound to one app and key: every response is checked against the contract before the test sees it. */
export function client(app: FastifyInstance, key: string | null = DEMO_KEY) {
  const call = async <T = any>(method: InjectOptions['method'], url: string, opts: CallOptions = {}): Promise<ApiResponse<T>> => {
    const useKey = opts.key === undefined ? key : opts.key;
    const headers: Record<string, string> = {};
    if (useKey !== null) headers['x-api-key'] = useKey;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    Object.assign(headers, opts.headers);
    const payload = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const res = await app.inject({ method, url, headers, ...(payload !== undefined && { payload }) });
    (await getContract()).check(String(method), url, res.statusCode, res.headers, res.body);
    return { status: res.statusCode, body: res.body === '' ? undefined : JSON.parse(res.body), headers: res.headers, raw: res.body };
  };
  return {
    call,
    get: <T = any>(url: string, opts?: CallOptions) => call<T>('GET', url, opts),
    post: <T = any>(url: string, body?: unknown, opts?: CallOptions) => call<T>('POST', url, { ...opts, body }),
    put: <T = any>(url: string, body?: unknown, opts?: CallOptions) => call<T>('PUT', url, { ...opts, body }),
    patch: <T = any>(url: string, body?: unknown, opts?: CallOptions) => call<T>('PATCH', url, { ...opts, body }),
    delete: <T = any>(url: string, opts?: CallOptions) => call<T>('DELETE', url, opts),
  };
}
export type Client = ReturnType<typeof client>;
