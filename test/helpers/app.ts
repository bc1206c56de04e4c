// Isolated apps for tests (in-memory database each) and a client that checks every
// response it receives against the OpenAPI document.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach } from 'vitest';
import { buildApp, type AppDeps } from '../../src/app.js';
import { createClock } from '../../src/clock.js';
import { makeConfig, type Config } from '../../src/config.js';
import { getContract } from './contract.js';

export const DEMO_KEY = 'kapso-demo-key';
export const OTHER_KEY = 'kapso-other-key';

/** IDs from fixtures/ (docs/fixtures.md, "The seeded data"). */
export const ids = {
  demoProject: '11111111-1111-4111-8111-111111111111',
  otherProject: '22222222-2222-4222-8222-222222222222',
  acme: 'c1000000-0000-4000-8000-000000000001',
  globex: 'c1000000-0000-4000-8000-000000000002',
  initech: 'c1000000-0000-4000-8000-000000000003',
  umbrella: 'c2000000-0000-4000-8000-000000000001',
  acmeSupport: 'b1000000-0000-4000-8000-000000000001',
  acmeSales: 'b1000000-0000-4000-8000-000000000002',
  globexOrders: 'b1000000-0000-4000-8000-000000000003',
  initechDispatch: 'b1000000-0000-4000-8000-000000000004',
  umbrellaConfig: 'b2000000-0000-4000-8000-000000000001',
  supportAgent: 'a1000000-0000-4000-8000-000000000001',
  orderAgent: 'a1000000-0000-4000-8000-000000000002',
  otherAgent: 'a2000000-0000-4000-8000-000000000001',
  supportPrimaryLink: 'd1000000-0000-4000-8000-000000000001',
  supportSalesLink: 'd1000000-0000-4000-8000-000000000002',
  orderLink: 'd1000000-0000-4000-8000-000000000003',
  otherLink: 'd2000000-0000-4000-8000-000000000001',
} as const;

export const MISSING_ID = '99999999-9999-4999-8999-999999999999';

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A ready app whose clock is frozen at `at` (tests move it with clock.advance), with its client and database. */
export async function makeFrozenApp(at: string, overrides: Partial<Config> = {}) {
  const clock = createClock();
  clock.freeze(Date.parse(at));
  const app = await makeApp(overrides, { clock });
  return { app, api: client(app), clock, db: app.db };
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
