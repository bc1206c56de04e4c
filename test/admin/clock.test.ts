// /__admin/clock: freeze or move the time that created_at, updated_at, the journal and the
// rate-limit windows use, so a test can assert timestamps exactly.
import { describe, expect, it } from 'vitest';
import { client, ids, makeApp } from '../helpers/app.js';

const T0 = '2026-05-01T12:00:00.000Z';

async function setup() {
  const app = await makeApp();
  return { app, api: client(app), admin: client(app, null) };
}

describe('POST /__admin/clock', () => {
  it('now: freezes time at that instant; new records carry it exactly', async () => {
    const { api, admin } = await setup();
    const res = await admin.post('/__admin/clock', { now: T0 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { mode: 'frozen', now: T0, offset_ms: expect.any(Number) } });

    const created = await api.post('/api/v1/customers', { customer: { name: 'Frozen Co', external_customer_id: 'FRZ-1' } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ created_at: T0, updated_at: T0 });
    const agent = await api.post('/api/v1/agents', { agent: { name: 'Frozen Agent' } });
    expect(agent.body.data).toMatchObject({ created_at: T0, updated_at: T0 });

    // Frozen means frozen: a second record, later in real time, has the same instant.
    const second = await api.post('/api/v1/customers', { customer: { name: 'Frozen Too', external_customer_id: 'FRZ-2' } });
    expect(second.body.data.created_at).toBe(T0);
    expect((await admin.get('/__admin/clock')).body.data).toMatchObject({ mode: 'frozen', now: T0 });
  });

  it('accepts an offset and normalises it to UTC', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/clock', { now: '2026-05-01T14:00:00+02:00' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'frozen', now: T0 });
  });

  it('advance_ms moves frozen time; an update after it gets the new updated_at and keeps created_at', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    const created = await api.post('/api/v1/customers', { customer: { name: 'Moving Co', external_customer_id: 'MOV-1' } });

    const moved = await admin.post('/__admin/clock', { advance_ms: 90_500 });
    expect(moved.status).toBe(200);
    expect(moved.body.data).toMatchObject({ mode: 'frozen', now: '2026-05-01T12:01:30.500Z' });

    const updated = await api.patch(`/api/v1/customers/${created.body.data.id}`, { customer: { name: 'Moved Co' } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toEqual({ ...created.body.data, name: 'Moved Co', updated_at: '2026-05-01T12:01:30.500Z' });
    const got = await api.get(`/api/v1/customers/${created.body.data.id}`);
    expect(got.body.data).toEqual(updated.body.data);
  });

  it('moves updated_at of fixture records too', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    const res = await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { name: 'Renamed at T0' } });
    expect(res.status).toBe(200);
    expect(res.body.data.updated_at).toBe(T0);
    expect(res.body.data.created_at).toBe('2026-01-15T09:30:00.000Z');
  });

  it('now and advance_ms together freeze that long after now', async () => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/clock', { now: T0, advance_ms: 1000 });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'frozen', now: '2026-05-01T12:00:01.000Z' });
  });

  it('advance_ms without freezing runs the clock ahead of real time (mode offset)', async () => {
    const { api, admin } = await setup();
    const before = Date.now();
    const res = await admin.post('/__admin/clock', { advance_ms: 86_400_000 });
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'offset', offset_ms: 86_400_000 });
    const now = Date.parse(res.body.data.now);
    expect(now).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(now).toBeLessThanOrEqual(after + 86_400_000);

    const created = await api.post('/api/v1/customers', { customer: { name: 'Tomorrow', external_customer_id: 'TMR-1' } });
    expect(Date.parse(created.body.data.created_at)).toBeGreaterThanOrEqual(before + 86_400_000);

    // Offsets add up.
    const more = await admin.post('/__admin/clock', { advance_ms: 1000 });
    expect(more.body.data).toMatchObject({ mode: 'offset', offset_ms: 86_401_000 });
  });

  it('freeze: true stops time where it is', async () => {
    const { api, admin } = await setup();
    const before = Date.now();
    const res = await admin.post('/__admin/clock', { freeze: true });
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.data.mode).toBe('frozen');
    const frozen = res.body.data.now;
    expect(Date.parse(frozen)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(frozen)).toBeLessThanOrEqual(after);
    const created = await api.post('/api/v1/customers', { customer: { name: 'Still', external_customer_id: 'STILL-1' } });
    expect(created.body.data.created_at).toBe(frozen);
  });

  it('the journal and snapshots use the mock clock', async () => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', { now: T0 });
    await api.get('/api/v1/agents');
    expect((await admin.get('/__admin/requests')).body.data[0].time).toBe(T0);
    expect((await admin.post('/__admin/snapshots', { name: 'at-t0' })).body.data.created_at).toBe(T0);
  });

  it.each([
    ['a word', 'yesterday'],
    ['a date without a time', '2026-05-01'],
    ['an impossible month', '2026-13-01T00:00:00Z'],
    ['an impossible day', '2026-02-30T00:00:00Z'],
    ['a number as a string', '1767225600000'],
  ])('refuses now as %s: 422 and leaves the clock alone', async (_case, now) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/clock', { now });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'now must be an RFC 3339 timestamp' });
    expect((await admin.get('/__admin/clock')).body.data).toMatchObject({ mode: 'real', offset_ms: 0 });
  });

  it.each([
    ['an empty body', {}, 'give now, freeze or advance_ms'],
    ['a negative advance', { advance_ms: -1 }, 'advance_ms must be at least 0'],
    ['a fractional advance', { advance_ms: 0.5 }, 'advance_ms must be an integer'],
    ['now as a number', { now: 1767225600000 }, 'now must be a string'],
    ['freeze as a string', { freeze: 'true' }, 'freeze must be a boolean'],
  ])('refuses %s: 422', async (_case, body, message) => {
    const { admin } = await setup();
    const res = await admin.post('/__admin/clock', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect((await admin.get('/__admin/clock')).body.data).toMatchObject({ mode: 'real', offset_ms: 0 });
  });
});

describe('GET and DELETE /__admin/clock', () => {
  it('GET shows real time by default', async () => {
    const { admin } = await setup();
    const before = Date.now();
    const res = await admin.get('/__admin/clock');
    const after = Date.now();
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'real', offset_ms: 0 });
    expect(Date.parse(res.body.data.now)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(res.body.data.now)).toBeLessThanOrEqual(after);
  });

  it.each([
    ['a frozen clock', { now: T0, advance_ms: 5000 }],
    ['a clock running ahead', { advance_ms: 3_600_000 }],
  ])('DELETE returns %s to real time', async (_case, body) => {
    const { api, admin } = await setup();
    await admin.post('/__admin/clock', body);
    const before = Date.now();
    const res = await admin.delete('/__admin/clock');
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ mode: 'real', offset_ms: 0 });
    const created = await api.post('/api/v1/customers', { customer: { name: 'Real Again', external_customer_id: 'REAL-1' } });
    const after = Date.now();
    const at = Date.parse(created.body.data.created_at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
  });
});
