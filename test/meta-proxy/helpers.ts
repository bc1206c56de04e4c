// The Meta proxy's tests: a listening kapso-mock with the official SDK pointed at it (every
// response the SDK receives checked against the contract), the seeded proxy records by name, and
// the Graph error matchers.
import { GraphApiError, WhatsAppClient } from '@kapso/whatsapp-cloud-api';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startKapsoMock, type KapsoMock, type KapsoMockOptions } from '../../src/index.js';
import { getContract } from '../helpers/contract.js';
import { DEMO_KEY, OTHER_KEY } from '../helpers/app.js';
import { demo, other, seed } from '../helpers/seed.js';

export { DEMO_KEY, OTHER_KEY };

/** fetch that checks every response against the generated document and Kapso's proxy spec. */
export const checkedFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  const raw = await res.clone().text();
  (await getContract()).check(init?.method ?? 'GET', `${url.pathname}${url.search}`, res.status, Object.fromEntries(res.headers), raw);
  return res;
};

/** The official SDK, as the users write it, against a mock. */
export const sdkFor = (mock: KapsoMock, key: string = DEMO_KEY) =>
  new WhatsAppClient({ baseUrl: mock.metaProxyUrl, graphVersion: 'v24.0', kapsoApiKey: key, fetch: checkedFetch });

/**
 * One listening mock for a test file, back to the fixtures (and real time, no faults, no rate
 * limit) after every test.
 */
export function useMock(options: KapsoMockOptions = {}) {
  const ctx = {} as { mock: KapsoMock; sdk: WhatsAppClient; other: WhatsAppClient };
  beforeAll(async () => {
    ctx.mock = await startKapsoMock(options);
    ctx.sdk = sdkFor(ctx.mock);
    ctx.other = sdkFor(ctx.mock, OTHER_KEY);
  });
  afterEach(async () => {
    await ctx.mock.admin.reset();
    await ctx.mock.admin.clearFaults();
    await ctx.mock.admin.resetClock();
    await ctx.mock.admin.settings({ rate_limit: 0 });
  });
  afterAll(() => ctx.mock.close());
  return ctx;
}

/** A plain HTTP call to the proxy of a listening mock, checked against the contract. */
export async function http(mock: KapsoMock, method: string, path: string, opts: { key?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.key !== null) headers['x-api-key'] ??= opts.key ?? DEMO_KEY;
  let body: FormData | string | undefined;
  if (opts.body instanceof FormData) body = opts.body;
  else if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  }
  const res = await checkedFetch(`${mock.origin}${path}`, { method, headers, ...(body !== undefined && { body }) });
  const raw = await res.text();
  const json = (res.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: res.status, headers: res.headers, raw, body: raw === '' || !json ? undefined : (JSON.parse(raw) as any) };
}

type Rec = Record<string, unknown>;
const one = (kind: Parameters<typeof seed.find>[0], test: (r: Rec) => boolean) => seed.find(kind, test).record;
const configNamed = (name: string) => seed.find('whatsappConfigs', name).record as Rec & { id: string; phone_number_id: string; business_account_id: string };

/** Seeded proxy records the tests name (fixtures/30-meta-proxy.json), read from the fixtures. */
export const proxy = (() => {
  const acmeSupport = configNamed('Acme Support');
  const acmeSales = configNamed('Acme Sales');
  const globex = configNamed('Globex Orders');
  const initech = configNamed('Initech Dispatch');
  const umbrella = configNamed('Umbrella Appointments');
  const flow = (name: string) => String(one('whatsappFlows', (r) => r.name === name).flow_id);
  const media = (filename: string) => String(one('media', (r) => r.filename === filename).media_id);
  const call = (configId: string, status: string) => String(one('calls', (r) => r.whatsapp_config_id === configId && r.status === status && r.direction === 'inbound').call_id);
  return {
    demoProject: demo.id,
    otherProject: other.id,
    acmeSupport, acmeSales, globex, initech, umbrella,
    /** The customer Acme's configs belong to. */
    acmeCustomer: seed.parentOf(acmeSupport.id)!,
    /** Phone number IDs. */
    acmePhone: acmeSupport.phone_number_id,
    salesPhone: acmeSales.phone_number_id,
    globexPhone: globex.phone_number_id,
    initechPhone: initech.phone_number_id,
    umbrellaPhone: umbrella.phone_number_id,
    /** Business account IDs. */
    acmeWaba: acmeSupport.business_account_id,
    globexWaba: globex.business_account_id,
    umbrellaWaba: umbrella.business_account_id,
    flows: {
      booking: flow('appointment_booking'),
      survey: flow('customer_satisfaction_survey'),
      lead: flow('enterprise_lead_capture'),
      broken: flow('newsletter_signup'),
      deprecated: flow('holiday_promo_2025'),
      globexFeedback: flow('order_feedback'),
      umbrellaReminder: flow('appointment_reminder'),
    },
    media: {
      logo: media('acme-logo.png'),
      warranty: media('acme-warranty.pdf'),
      globexRates: media('globex-shipping-rates.txt'),
      umbrellaForm: media('umbrella-intake-form.pdf'),
    },
    calls: {
      acmeRinging: call(acmeSupport.id, 'ringing'),
      acmeCompleted: call(acmeSupport.id, 'completed'),
      umbrellaRinging: call(umbrella.id, 'ringing'),
    },
    seedRecord: one,
  };
})();

/** IDs that name nothing anywhere, one of each range. */
export const MISSING = { phone: '199999999999999', media: '7199999999999999', flow: '7299999999999999' };

const TRACE = /^A[A-Za-z0-9_-]{22}$/;

/** Meta's unknown-object error for this method and ID (404, code 100, subcode 33). */
export const unknownObject = (method: string, id: string) => ({
  error: {
    message: `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    type: 'GraphMethodException', code: 100, error_subcode: 33, fbtrace_id: expect.stringMatching(TRACE),
  },
});

/** A Graph error body: message, type, code (and subcode, data), any trace ID. */
export const graphError = (code: number, message: string | RegExp, extra: { type?: string; error_subcode?: number; error_data?: unknown } = {}) => ({
  error: {
    message: typeof message === 'string' ? message : expect.stringMatching(message),
    type: extra.type ?? 'OAuthException', code,
    ...(extra.error_subcode !== undefined && { error_subcode: extra.error_subcode }),
    ...(extra.error_data !== undefined && { error_data: extra.error_data }),
    fbtrace_id: expect.stringMatching(TRACE),
  },
});

export const V = '/meta/whatsapp/v24.0';

/** The SDK's error for a call that must fail: a GraphApiError. */
export async function sdkFailure(promise: Promise<unknown>): Promise<GraphApiError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GraphApiError);
  return err as GraphApiError;
}

/** What the SDK made of a Graph error: status, Meta's code and subcode, the message, its category. */
export function expectSdkError(
  err: GraphApiError,
  want: { httpStatus: number; code: number; message: string | RegExp; category: string; subcode?: number; type?: string },
): void {
  expect({ httpStatus: err.httpStatus, code: err.code, errorSubcode: err.errorSubcode, category: err.category, type: err.type }).toEqual({
    httpStatus: want.httpStatus, code: want.code, errorSubcode: want.subcode, category: want.category, type: want.type ?? 'OAuthException',
  });
  if (typeof want.message === 'string') expect(err.message).toBe(want.message);
  else expect(err.message).toMatch(want.message);
  expect(err.fbtraceId).toMatch(TRACE);
}
