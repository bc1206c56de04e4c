// The Meta proxy as a door: Graph errors for everything that goes wrong (and /api/v1's envelope
// unchanged), the key in X-API-Key or as a Bearer token, unknown and not-yet-emulated routes, and
// the control plane's hooks (journal, faults, rate limit, cache, sandboxes, clock) applying to it.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, makeApp, OTHER_KEY } from '../helpers/app.js';
import { expectSdkError, graphError, proxy, sdkFailure, sdkFor, useMock, V } from './helpers.js';

const inject = async (app: FastifyInstance, method: string, url: string, headers: Record<string, string> = {}, payload?: string) => {
  const res = await app.inject({ method: method as 'GET', url, headers, ...(payload !== undefined && { payload }) });
  const isJson = String(res.headers['content-type']).startsWith('application/json');
  return { status: res.statusCode, headers: res.headers, body: res.body === '' || !isJson ? undefined : res.json() as any };
};
const key = { 'x-api-key': DEMO_KEY };
const json = { ...key, 'content-type': 'application/json' };
const phone = `${V}/${proxy.acmePhone}`;

describe('Graph errors for what goes wrong', () => {
  it.each([
    ['a body that is not JSON', 'POST', `${phone}/block_users`, json, '{"block_users": [', 400, graphError(100, '(#100) Body is not valid JSON')],
    ['a body that is not an object', 'POST', `${phone}/block_users`, json, '[1]', 400, graphError(100, '(#100) Body must be a JSON object')],
    ['a body over 1 MiB', 'POST', `${phone}/block_users`, json, JSON.stringify({ x: 'y'.repeat(1024 * 1024) }), 400, graphError(100, '(#100) Payload too large')],
    ['a body of another type', 'POST', `${phone}/block_users`, { ...key, 'content-type': 'text/plain' }, 'hello', 400, graphError(100, '(#100) Send the body as JSON, with Content-Type: application/json')],
    ['no API key', 'GET', phone, {}, undefined, 401, graphError(190, 'Invalid or missing API key')],
    ['an unknown API key', 'GET', phone, { 'x-api-key': 'kapso-nope' }, undefined, 401, graphError(190, 'Invalid or missing API key')],
    ['an empty API key', 'GET', phone, { 'x-api-key': '' }, undefined, 401, graphError(190, 'Invalid or missing API key')],
    ['a Bearer token that is no key', 'GET', phone, { authorization: 'Bearer kapso-nope' }, undefined, 401, graphError(190, 'Invalid or missing API key')],
    ['a path the proxy does not have', 'GET', `${phone}/nothing_here`, key, undefined, 404, graphError(2500, `No route matches GET ${phone}/nothing_here`)],
    ['a method the path does not take', 'PUT', phone, key, undefined, 404, graphError(2500, `No route matches PUT ${phone}`)],
    ['a version that is no vNN.N', 'GET', `/meta/whatsapp/latest/${proxy.acmePhone}`, key, undefined, 404, graphError(2500, `No route matches GET /meta/whatsapp/latest/${proxy.acmePhone}`)],
    ['the proxy root', 'GET', '/meta/whatsapp', key, undefined, 404, graphError(2500, 'No route matches GET /meta/whatsapp')],
    ['an invalid X-Kapso-Mock-Status', 'GET', phone, { ...key, 'x-kapso-mock-status': 'soon' }, undefined, 400, graphError(100, '(#100) X-Kapso-Mock-Status must be an HTTP error status from 400 to 599')],
    ['X-Kapso-Mock-Status: 500', 'GET', phone, { ...key, 'x-kapso-mock-status': '500' }, undefined, 500, graphError(1, 'An unknown error occurred')],
    ['X-Kapso-Mock-Status: 503', 'GET', phone, { ...key, 'x-kapso-mock-status': '503' }, undefined, 503, graphError(2, 'Service temporarily unavailable')],
    ['X-Kapso-Mock-Status: 403', 'GET', phone, { ...key, 'x-kapso-mock-status': '403' }, undefined, 403, graphError(10, '(#10) Application does not have permission for this action')],
    // A status asked for is answered as asked, even one Meta itself never uses for a bad parameter.
    ['X-Kapso-Mock-Status: 422', 'GET', phone, { ...key, 'x-kapso-mock-status': '422' }, undefined, 422, graphError(100, '(#100) Validation failed')],
    ['X-Kapso-Mock-Status: 413', 'GET', phone, { ...key, 'x-kapso-mock-status': '413' }, undefined, 413, graphError(100, '(#100) Payload too large')],
  ])('%s', async (_case, method, url, headers, payload, status, body) => {
    const res = await inject(await makeApp(), method, url, headers, payload);
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual(body);
  });

  it('every operation of Kapso\'s proxy spec is emulated: none answers "not emulated yet"', async () => {
    const app = await makeApp();
    for (const [method, tail] of [['GET', 'messages'], ['GET', 'conversations'], ['GET', 'contacts'], ['GET', 'message_templates']] as const) {
      const res = await inject(app, method, `${V}/${proxy.acmePhone}/${tail}`, key);
      expect(JSON.stringify(res.body)).not.toContain('is not emulated yet');
    }
  });

  it("/api/v1 keeps Kapso's envelope for the same failures", async () => {
    const app = await makeApp();
    expect((await inject(app, 'GET', '/api/v1/customers')).body).toEqual({ error: 'Invalid or missing API key' });
    expect((await inject(app, 'POST', '/api/v1/customers', json, '{')).body).toEqual({ error: 'Invalid parameters', message: 'Body is not valid JSON' });
    expect((await inject(app, 'GET', '/api/v1/nothing', key)).body).toEqual({ error: 'Not found', message: 'No route matches GET /api/v1/nothing' });
    expect((await inject(app, 'GET', '/api/v1/customers', { ...key, 'x-kapso-mock-status': '503' })).body).toEqual({ error: 'Service unavailable' });
    // Bearer is the proxy's alternative only.
    expect((await inject(app, 'GET', '/api/v1/customers', { authorization: `Bearer ${DEMO_KEY}` })).status).toBe(401);
    // A multipart body is for the proxy's uploads only.
    const form = await inject(app, 'POST', '/api/v1/customers', { ...key, 'content-type': 'multipart/form-data; boundary=x' }, '--x--');
    expect(form.body).toEqual({ error: 'Unsupported media type', message: 'Send the body as JSON, with Content-Type: application/json' });
  });
});

describe('the API key', () => {
  it.each([
    ['X-API-Key', { 'x-api-key': DEMO_KEY }],
    ['Authorization: Bearer', { authorization: `Bearer ${DEMO_KEY}` }],
    ['a lowercase bearer scheme', { authorization: `bearer ${DEMO_KEY}` }],
    ['X-API-Key, whatever the Bearer token says', { 'x-api-key': DEMO_KEY, authorization: 'Bearer EAAGsomeMetaToken' }],
  ])('is read from %s', async (_case, headers) => {
    const res = await inject(await makeApp(), 'GET', phone, headers);
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(proxy.acmePhone);
  });

  it('an unknown key gets its own empty project when auto-provisioning is on', async () => {
    const app = await makeApp({ autoProvision: true });
    const res = await inject(app, 'GET', phone, { authorization: 'Bearer brand-new-key' });
    expect(res.status).toBe(404);
    expect(res.body.error.error_subcode).toBe(33);
  });
});

describe('the control plane applies to the proxy', () => {
  it('the journal records proxy requests, with their project and redacted credentials', async () => {
    const app = await makeApp();
    await inject(app, 'GET', phone, { authorization: `Bearer ${DEMO_KEY}` });
    await inject(app, 'GET', `${V}/${proxy.umbrellaPhone}`, key);
    const admin = client(app, null);
    const entries = (await admin.get(`/__admin/requests?path=${encodeURIComponent('/meta/whatsapp/*')}`)).body.data;
    expect(entries.map((e: { path: string; status: number; project_id: string }) => [e.path, e.status, e.project_id])).toEqual([
      [`${V}/${proxy.umbrellaPhone}`, 404, proxy.demoProject],
      [phone, 200, proxy.demoProject],
    ]);
    expect(entries[1].headers.authorization).toBe('[redacted]');
    expect(entries[0].response_body.error.code).toBe(100);
  });

  it('a fault rule fires on a proxy path; its status answers in Graph form, its own body as given', async () => {
    const app = await makeApp();
    const admin = client(app, null);
    await admin.post('/__admin/faults', { path: '/meta/whatsapp/*/{id}/calls', method: 'GET', status: 503, times: 1 });
    await admin.post('/__admin/faults', { path: '/meta/whatsapp/*/{id}/username', status: 429, body: { error: { message: 'custom', code: 80007 } }, headers: { 'retry-after': '7' }, times: 1 });
    const calls = await inject(app, 'GET', `${phone}/calls`, key);
    expect(calls.status).toBe(503);
    expect(calls.body).toEqual(graphError(2, 'Service temporarily unavailable'));
    const username = await inject(app, 'GET', `${phone}/username`, key);
    expect([username.status, username.headers['retry-after'], username.body]).toEqual([429, '7', { error: { message: 'custom', code: 80007 } }]);
    expect((await inject(app, 'GET', `${phone}/calls`, key)).status).toBe(200);
  });

  it('the rate limit counts both doors against one budget per key, and answers 429 in Graph form', async () => {
    const app = await makeApp({ rateLimit: 2 });
    expect((await inject(app, 'GET', '/api/v1/customers', key)).status).toBe(200);
    const second = await inject(app, 'GET', phone, key);
    expect([second.status, second.headers['x-ratelimit-limit'], second.headers['x-ratelimit-remaining']]).toEqual([200, '2', '0']);
    const third = await inject(app, 'GET', phone, key);
    expect(third.status).toBe(429);
    expect(third.body).toEqual(graphError(4, '(#4) Application request limit reached'));
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await inject(app, 'GET', `${V}/${proxy.umbrellaPhone}`, { 'x-api-key': OTHER_KEY })).status).toBe(200);
  });

  it('repeated GETs come from the response cache until the data changes', async () => {
    const app = await makeApp();
    const get = () => inject(app, 'GET', `${phone}/whatsapp_business_profile?fields=about`, key);
    const first = await get();
    expect(first.body).toEqual((await get()).body);
    await inject(app, 'POST', `${phone}/whatsapp_business_profile`, json, JSON.stringify({ messaging_product: 'whatsapp', about: 'Changed' }));
    expect((await get()).body.data[0].about).toBe('Changed');
  });

  it('a sandbox seeded from the Demo Project has copies of its proxy records, apart from the Demo Project\'s', async () => {
    const app = await makeApp();
    const admin = client(app, null);
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const sb = { 'x-api-key': sandbox.api_key };
    const flows = await inject(app, 'GET', `${V}/${proxy.acmeWaba}/flows?limit=100`, sb);
    expect(flows.body.data.map((f: { id: string }) => f.id)).toContain(proxy.flows.booking);
    const meta = await inject(app, 'GET', `${V}/${proxy.media.logo}?phone_number_id=${proxy.acmePhone}`, sb);
    const link = new URL(meta.body.download_url);
    expect((await inject(app, 'GET', `${link.pathname}${link.search}`)).status).toBe(200);
    expect((await inject(app, 'DELETE', `${V}/${proxy.media.logo}`, sb)).status).toBe(200);
    expect((await inject(app, 'GET', `${V}/${proxy.media.logo}?phone_number_id=${proxy.acmePhone}`, key)).status).toBe(200);
  });

  it('answers a CORS preflight for the proxy like any other path', async () => {
    const res = await (await makeApp()).inject({ method: 'OPTIONS', url: phone, headers: { origin: 'http://localhost:3000', 'access-control-request-method': 'POST' } });
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-headers']).toContain('Authorization');
  });
});

describe('the SDK sees Graph errors', () => {
  const ctx = useMock();

  it('a bad key is an authorization error (code 190, 401)', async () => {
    const err = await sdkFailure(sdkFor(ctx.mock, 'kapso-wrong-key').phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone }));
    expectSdkError(err, { httpStatus: 401, code: 190, category: 'authorization', message: 'Invalid or missing API key' });
    expect(err.requiresTokenRefresh()).toBe(true);
  });

  it('the rate limit is throttling, with the Retry-After the mock sent', async () => {
    await ctx.mock.admin.settings({ rate_limit: 1 });
    await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone });
    const err = await sdkFailure(ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone }));
    expectSdkError(err, { httpStatus: 429, code: 4, category: 'throttling', message: '(#4) Application request limit reached' });
    expect(err.isRateLimit()).toBe(true);
    expect(err.retry).toEqual({ action: 'retry_after', retryAfterMs: expect.any(Number) });
  });

  it('another project\'s phone number is an unknown object (code 100, subcode 33, 404)', async () => {
    const err = await sdkFailure(ctx.sdk.phoneNumbers.businessProfile.get({ phoneNumberId: proxy.umbrellaPhone }));
    expectSdkError(err, { httpStatus: 404, code: 100, subcode: 33, category: 'parameter', type: 'GraphMethodException', message: /^Unsupported get request\. Object with ID '130495867201234' does not exist/ });
  });
});
