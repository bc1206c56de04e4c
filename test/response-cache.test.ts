// The response cache must be invisible: a repeated GET gives what the database holds now,
// for the caller's project only, whoever wrote last.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { AnswerCache, CACHE_LIMITS, EXTERNAL_CHECK_MS } from '../src/plugins/response-cache.js';
import { client, ids, makeApp, OTHER_KEY } from './helpers/app.js';
import { proxy, V } from './meta-proxy/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'kapso-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const customer = `/api/v1/customers/${ids.acme}`;

describe('the response cache', () => {
  it('serves the same bytes for a repeated GET, and the new state right after a write', async () => {
    const api = client(await makeApp());
    const first = await api.get(customer);
    const second = await api.get(customer);
    expect(second.status).toBe(200);
    expect(second.raw).toBe(first.raw);
    expect((await api.patch(customer, { customer: { name: 'Acme Renamed' } })).status).toBe(200);
    const third = await api.get(customer);
    expect(third.body.data.name).toBe('Acme Renamed');
    // A write to another record (and another project) also makes every cached answer stale.
    await api.post('/api/v1/customers', { customer: { name: 'Other', external_customer_id: 'OTHER-9' } }, { key: OTHER_KEY });
    expect((await api.get('/api/v1/customers')).body.meta.total_count).toBe(3);
  });

  it('keeps projects apart: the same URL answers for the key that asks', async () => {
    const app = await makeApp();
    const admin = client(app, null);
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const demo = client(app);
    const copy = client(app, sandbox.api_key);
    expect((await demo.get(customer)).body.data.name).toBe('Acme Corporation');
    expect((await copy.patch(customer, { customer: { name: 'Sandbox Acme' } })).status).toBe(200);
    expect((await copy.get(customer)).body.data.name).toBe('Sandbox Acme');
    expect((await demo.get(customer)).body.data.name).toBe('Acme Corporation');
    expect((await client(app, OTHER_KEY).get(customer)).status).toBe(404);
  });

  it('sees writes made by another process to the same database file, within EXTERNAL_CHECK_MS', async () => {
    const file = join(dir, 'shared.db');
    const api = client(await makeApp({ dbPath: file }));
    expect((await api.get(customer)).body.data.name).toBe('Acme Corporation');
    const other = new Database(file);
    other.prepare('UPDATE customers SET name = ? WHERE id = ?').run('Written Elsewhere', ids.acme);
    other.close();
    await new Promise((resolve) => setTimeout(resolve, EXTERNAL_CHECK_MS + 20));
    expect((await api.get(customer)).body.data.name).toBe('Written Elsewhere');
  });

  it('never caches an error, and a fault rule or a forced status still applies on a cached route', async () => {
    const app = await makeApp();
    const api = client(app);
    await api.get(customer);
    expect((await api.get(customer, { headers: { 'x-kapso-mock-status': '503' } })).status).toBe(503);
    await client(app, null).post('/__admin/faults', { path: customer, status: 500, times: 1 });
    expect((await api.get(customer)).status).toBe(500);
    expect((await api.get(customer)).status).toBe(200);
    expect((await api.get('/api/v1/customers/99999999-9999-4999-8999-999999999999')).status).toBe(404);
  });

  it('every cached answer is still in the journal', async () => {
    const app = await makeApp();
    const api = client(app);
    for (let i = 0; i < 3; i++) await api.get(customer);
    const journal = await client(app, null).get(`/__admin/requests?path=${customer}`);
    expect(journal.body.data).toHaveLength(3);
    expect(new Set(journal.body.data.map((e: { response_body: unknown }) => JSON.stringify(e.response_body))).size).toBe(1);
  });

  it('drops its answers when the mock\'s clock is frozen, advanced or reset (answers may depend on the time)', async () => {
    const { vi } = await import('vitest');
    const app = await makeApp();
    const api = client(app);
    const admin = client(app, null);
    const get = vi.spyOn(app.repos.customers, 'get');
    await api.get(customer);
    await api.get(customer);
    expect(get).toHaveBeenCalledTimes(1);
    for (const move of [{ freeze: true }, { advance_ms: 1000 }]) {
      await admin.post('/__admin/clock', move);
      await api.get(customer);
    }
    await admin.delete('/__admin/clock');
    await api.get(customer);
    expect(get).toHaveBeenCalledTimes(4);
  });

  it('on the Meta proxy\'s one-segment GET: a phone number is kept, a media item (its link signed from now) and a Flow never are', async () => {
    const { vi } = await import('vitest');
    const app = await makeApp();
    const api = client(app);
    const phones = vi.spyOn(app.repos.phoneNumbers, 'get');
    const media = vi.spyOn(app.repos.media, 'get');
    const flows = vi.spyOn(app.repos.whatsappFlows, 'get');
    for (let i = 0; i < 2; i++) {
      expect((await api.get(`${V}/${proxy.acmePhone}`)).body.id).toBe(proxy.acmePhone);
      expect((await api.get(`${V}/${proxy.media.logo}?phone_number_id=${proxy.acmePhone}`)).body.id).toBe(proxy.media.logo);
      expect((await api.get(`${V}/${proxy.flows.booking}`)).body.id).toBe(proxy.flows.booking);
    }
    expect(phones).toHaveBeenCalledTimes(1);
    expect(media).toHaveBeenCalledTimes(2);
    expect(flows.mock.calls.length).toBeGreaterThanOrEqual(2);
  });

  it(`holds at most ${CACHE_LIMITS.entries} answers: past that the oldest goes, the others stay`, async () => {
    const { vi } = await import('vitest');
    const app = await makeApp();
    const api = client(app);
    const get = vi.spyOn(app.repos.customers, 'get');
    // An unknown query parameter is ignored by the route but makes another URL, so another entry.
    for (let n = 0; n <= CACHE_LIMITS.entries; n++) expect((await api.get(`${customer}?n=${n}`)).status).toBe(200);
    expect(get).toHaveBeenCalledTimes(CACHE_LIMITS.entries + 1);
    await api.get(`${customer}?n=${CACHE_LIMITS.entries}`); // the newest: still kept
    await api.get(`${customer}?n=${CACHE_LIMITS.entries / 2}`); // and one from the middle (not the whole cache emptied)
    expect(get).toHaveBeenCalledTimes(CACHE_LIMITS.entries + 1);
    await api.get(`${customer}?n=0`); // the oldest: gone
    expect(get).toHaveBeenCalledTimes(CACHE_LIMITS.entries + 2);
  });
});

describe('AnswerCache, the response cache\'s store', () => {
  it('drops the oldest answers past its entry or character limit, and never keeps a body longer than its body limit', () => {
    const cache = new AnswerCache({ entries: 3, chars: 10, bodyChars: 6 });
    expect(cache.keep('a', 'aaaa')).toBe(true);
    expect(cache.keep('b', 'bbbb')).toBe(true);
    expect(cache.keep('c', 'cc')).toBe(true);
    expect(cache.size).toEqual({ entries: 3, chars: 10 });
    cache.keep('d', 'd'); // a fourth entry: 'a' goes
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toEqual({ entries: 3, chars: 7 });
    cache.keep('e', 'eeeeee'); // 13 characters: 'b' goes, 9 remain
    expect([cache.get('b'), cache.get('c'), cache.get('d'), cache.get('e')]).toEqual([undefined, 'cc', 'd', 'eeeeee']);
    expect(cache.size).toEqual({ entries: 3, chars: 9 });
    expect(cache.keep('f', 'fffffff')).toBe(false); // longer than bodyChars: not kept, nothing dropped
    expect(cache.size).toEqual({ entries: 3, chars: 9 });
    cache.keep('c', 'c'); // kept again: replaced, and now the newest
    cache.keep('g', 'gg'); // a fourth entry: 'd' (now the oldest) goes, not 'c'
    expect([cache.get('c'), cache.get('d'), cache.get('e'), cache.get('g')]).toEqual(['c', undefined, 'eeeeee', 'gg']);
    expect(cache.size).toEqual({ entries: 3, chars: 9 });
    cache.clear();
    expect(cache.size).toEqual({ entries: 0, chars: 0 });
  });
});
