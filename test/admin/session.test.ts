// The admin token for people: /__inspector/ asks for it once and exchanges it for an HttpOnly,
// SameSite=Strict session cookie that the control plane and the event stream accept as they accept
// `Authorization: Bearer <token>` (docs/inspector.md "The admin token"). The cookie holds a random
// session ID, never the token.
import { describe, expect, it } from 'vitest';
import { parseCookies, sessionCookieName } from '../../src/admin/session.js';
import { makeApp } from '../helpers/app.js';

const TOKEN = 's3cret-token';
const HOST = '127.0.0.1:4400';
const UNAUTHORIZED = { error: 'Invalid or missing admin token' };

async function tokenApp() {
  const app = await makeApp({ adminToken: TOKEN });
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = {}, payload?: unknown) =>
    app.inject({ method, url, headers: { host: HOST, ...headers }, ...(payload !== undefined && { payload: payload as object }) });
  const login = async (token = TOKEN) => call('POST', '/__inspector/session', {}, { token });
  const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';', 1)[0]!;
  return { app, call, login, cookieOf };
}

describe('GET /__inspector/session', () => {
  it('without a token on the server: nothing to ask', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__inspector/session' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ data: { token_required: false, authenticated: true } });
  });

  it('with a token: asks until the session is open', async () => {
    const { call, login, cookieOf } = await tokenApp();
    expect((await call('GET', '/__inspector/session')).json()).toEqual({ data: { token_required: true, authenticated: false } });
    const cookie = cookieOf(await login());
    expect((await call('GET', '/__inspector/session', { cookie })).json()).toEqual({ data: { token_required: true, authenticated: true } });
    expect((await call('GET', '/__inspector/session', { authorization: `Bearer ${TOKEN}` })).json().data.authenticated).toBe(true);
  });
});

describe('POST /__inspector/session', () => {
  it('the right token: 204 and an HttpOnly, SameSite=Strict cookie for the whole server, holding neither the token nor anything made from it', async () => {
    const { login } = await tokenApp();
    const res = await login();
    expect(res.statusCode).toBe(204);
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^kapso_mock_session_4400=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(header).not.toContain(TOKEN);
    expect(header).not.toContain(Buffer.from(TOKEN).toString('base64'));
    // Two sessions, two random IDs.
    expect(String((await login()).headers['set-cookie'])).not.toBe(header);
  });

  it.each([
    ['a wrong token', { token: 'wrong' }],
    ['the token in another case', { token: TOKEN.toUpperCase() }],
    ['no token', {}],
    ['a token that is not a string', { token: 42 }],
  ])('%s: 401 in the admin envelope, no cookie', async (_case, body) => {
    const { call } = await tokenApp();
    const res = await call('POST', '/__inspector/session', {}, body);
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(UNAUTHORIZED);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});

describe('the cookie on /__admin', () => {
  it('opens the control plane and the event stream', async () => {
    const { call, login, cookieOf } = await tokenApp();
    const cookie = cookieOf(await login());
    expect((await call('GET', '/__admin/settings', { cookie })).statusCode).toBe(200);
    const stream = await call('GET', '/__admin/events?follow=false', { cookie });
    expect(stream.statusCode).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
  });

  it.each([
    ['a made-up session ID', () => 'kapso_mock_session_4400=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['the token itself as the cookie', () => `kapso_mock_session_4400=${TOKEN}`],
    ['an empty cookie', () => 'kapso_mock_session_4400='],
  ])('%s: 401', async (_case, cookie) => {
    const { call } = await tokenApp();
    const res = await call('GET', '/__admin/settings', { cookie: cookie() });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual(UNAUTHORIZED);
  });

  it('belongs to the port it was given for: the same ID sent to another port of the host is no session', async () => {
    const { call, login, cookieOf } = await tokenApp();
    const cookie = cookieOf(await login());
    const res = await call('GET', '/__admin/settings', { cookie, host: '127.0.0.1:4401' });
    expect(res.statusCode).toBe(401);
  });

  it('a wrong bearer token is refused even beside a good cookie', async () => {
    const { call, login, cookieOf } = await tokenApp();
    const cookie = cookieOf(await login());
    expect((await call('GET', '/__admin/settings', { cookie, authorization: 'Bearer wrong' })).statusCode).toBe(401);
  });

  it('DELETE /__inspector/session ends it: the cookie is cleared and opens nothing any more', async () => {
    const { call, login, cookieOf } = await tokenApp();
    const cookie = cookieOf(await login());
    const out = await call('DELETE', '/__inspector/session', { cookie });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toBe('kapso_mock_session_4400=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect((await call('GET', '/__admin/settings', { cookie })).statusCode).toBe(401);
  });

  it('means nothing to /api/v1, and is not an API key', async () => {
    const { call, login, cookieOf } = await tokenApp();
    const cookie = cookieOf(await login());
    const res = await call('GET', '/api/v1/agents', { cookie });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: 'Invalid or missing API key' });
  });
});

describe('cookies, parsed by hand', () => {
  it.each([
    ['a=1; b=2', { a: '1', b: '2' }],
    ['  a = 1 ;b=2;', { a: '1', b: '2' }],
    ['a="quoted value"', { a: 'quoted value' }],
    ['a=1; a=2', { a: '1' }],
    ['novalue; =x; b=3', { b: '3' }],
    ['a=x=y', { a: 'x=y' }],
    ['', {}],
  ])('%j', (header, expected) => {
    expect(Object.fromEntries(parseCookies(header))).toEqual(expected);
  });

  it('the session cookie is named after the port the browser addressed', () => {
    expect(sessionCookieName('127.0.0.1:4400')).toBe('kapso_mock_session_4400');
    expect(sessionCookieName('[::1]:8080')).toBe('kapso_mock_session_8080');
    expect(sessionCookieName('localhost')).toBe('kapso_mock_session_80');
    expect(sessionCookieName(undefined)).toBe('kapso_mock_session_80');
  });
});
