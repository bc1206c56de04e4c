// Kapso's WhatsApp sandbox sessions (a developer's phone bound to the shared sandbox number and an
// agent; not the mock's sandbox projects): the client flow with activation through the control
// plane, the validation matrix, one session per phone number per project, and which project the
// control plane acts on.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { demo, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const HOUR = 60 * 60 * 1000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const sessions = '/api/v1/sandbox_sessions';
const session = (id: string) => `${sessions}/${encodeURIComponent(id)}`;
const activate = (id: string) => `/__admin/sandbox_sessions/${encodeURIComponent(id)}/activate`;
const CODE = /^[A-HJKMNP-Z2-9]{6}$/;

const seededSessions = seed.records.filter((r) => r.kind === 'sandboxSessions' && r.projectId === demo.id);
const pendingSeeded = seededSessions.find((r) => r.record.status === 'pending_activation')!;
const activeSeeded = seededSessions.find((r) => r.record.status === 'active')!;

let app: Awaited<ReturnType<typeof makeFrozenApp>>['app'];
let api: Client;
let admin: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  ({ app, api, clock, db } = await makeFrozenApp(T0));
  admin = client(app, null);
});

const count = () => db.prepare('SELECT count(*) FROM whatsapp_sandbox_sessions').pluck().get() as number;
const create = (body: unknown) => api.post(sessions, body);
const agentOf = async (id: string) => (await api.get(`/api/v1/agents/${id}`)).body.data;

describe('client flow', () => {
  it('create (pending), get, list, activate through the control plane, get (active)', async () => {
    clock.advance(1000);
    const created = await create({ whatsapp_sandbox_session: { phone_number: '+1 (555) 010-2030', agent_id: ids.orderAgent } });
    expect(created.status).toBe(201);
    const { id, activation_code: code } = created.body.data;
    expect(code).toMatch(CODE);
    expect(created.body).toEqual({
      data: {
        id,
        phone_number: '+15550102030',
        status: 'pending_activation',
        activation_code: code,
        activation_message: `Your WhatsApp Sandbox activation code is: ${code}`,
        activation_link: `https://wa.me/14155550100?text=${code}`,
        activated_at: null,
        expires_at: at(1000 + 24 * HOUR),
        created_at: at(1000),
        updated_at: at(1000),
        agent: await agentOf(ids.orderAgent),
      },
    });

    const got = await api.get(session(id));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const list = await api.get(sessions);
    expect(list.status).toBe(200);
    expect(list.body.data[0]).toEqual(created.body.data);
    expect(list.body.meta).toEqual({ page: 1, per_page: 20, total_pages: 1, total_count: seededSessions.length + 1 });

    clock.advance(90_000);
    const activated = await admin.post(activate(id), {});
    expect(activated.status).toBe(200);
    expect(activated.body).toEqual({ data: { ...created.body.data, status: 'active', activated_at: at(91_000), updated_at: at(91_000) } });
    expect((await api.get(session(id))).body).toEqual(activated.body);

    const again = await admin.post(activate(id));
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'Validation failed', message: 'The sandbox session is already active' });
  });

  it('gets the seeded sessions with their agents', async () => {
    const active = await api.get(session(activeSeeded.id));
    expect(active.status).toBe(200);
    expect(active.body.data).toMatchObject({
      status: 'active', phone_number: '+14155550123', activation_code: activeSeeded.record.activation_code,
      activated_at: activeSeeded.record.activated_at, expires_at: at(Date.parse(String(activeSeeded.record.created_at)) - Date.parse(T0) + 24 * HOUR),
    });
    expect(active.body.data.agent).toEqual(await agentOf(String(activeSeeded.record.agent_id)));
    const pending = await api.get(session(pendingSeeded.id));
    expect(pending.body.data).toMatchObject({ status: 'pending_activation', activated_at: null, created_at: T0, expires_at: at(24 * HOUR) });
  });

  it('lists newest first, paginated', async () => {
    const created: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1000);
      created.push((await create({ whatsapp_sandbox_session: { phone_number: `+1415555020${i}`, agent_id: ids.supportAgent } })).body.data.id);
    }
    const page1 = await api.get(`${sessions}?per_page=2`);
    expect(page1.body.data.map((s: { id: string }) => s.id)).toEqual([created[2], created[1]]);
    expect(page1.body.meta).toEqual({ page: 1, per_page: 2, total_pages: 3, total_count: 5 });
    const page3 = await api.get(`${sessions}?per_page=2&page=3`);
    expect(page3.body.data.map((s: { id: string }) => s.id)).toEqual([activeSeeded.id]);
  });

  it('activation codes differ between sessions', async () => {
    const codes = new Set<string>(seededSessions.map((s) => String(s.record.activation_code)));
    for (let i = 0; i < 20; i++) {
      const res = await create({ whatsapp_sandbox_session: { phone_number: `+1206555${String(1000 + i)}`, agent_id: ids.supportAgent } });
      expect(res.status).toBe(201);
      codes.add(res.body.data.activation_code);
    }
    expect(codes.size).toBe(seededSessions.length + 20);
  });
});

describe('validation (nothing is written)', () => {
  const cases: [string, unknown, number, Record<string, string>][] = [
    ['no wrapper', {}, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_sandbox_session' }],
    ['a wrapper that is not an object', { whatsapp_sandbox_session: 'x' }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_sandbox_session' }],
    ['a body that is not an object', [1], 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['no phone_number', { whatsapp_sandbox_session: { agent_id: ids.supportAgent } }, 422, { error: 'Validation failed', message: "phone_number can't be blank" }],
    ['a numeric phone_number', { whatsapp_sandbox_session: { phone_number: 14155550123, agent_id: ids.supportAgent } }, 422, { error: 'Validation failed', message: 'phone_number must be a string' }],
    ...['abc', '', '+0 415 555 0123', '12345', '+1234567890123456', '+1 415 555 0123 ext 4'].map((phone) => [
      `phone_number ${JSON.stringify(phone)}`, { whatsapp_sandbox_session: { phone_number: phone, agent_id: ids.supportAgent } }, 422,
      { error: 'Validation failed', message: 'phone_number is not a valid phone number (E.164, e.g. +14155550123)' },
    ] as [string, unknown, number, Record<string, string>]),
    ['no agent_id', { whatsapp_sandbox_session: { phone_number: '+14155550111' } }, 422, { error: 'Validation failed', message: "agent_id can't be blank" }],
    ['an unknown agent', { whatsapp_sandbox_session: { phone_number: '+14155550111', agent_id: MISSING_ID } }, 422, { error: 'Agent must exist' }],
    ['an agent_id that is not a UUID', { whatsapp_sandbox_session: { phone_number: '+14155550111', agent_id: 'agent-1' } }, 422, { error: 'Agent must exist' }],
    ["another project's agent", { whatsapp_sandbox_session: { phone_number: '+14155550111', agent_id: ids.otherAgent } }, 422, { error: 'Agent must exist' }],
  ];
  it.each(cases)('%s', async (_case, body, status, expected) => {
    const before = count();
    const res = await create(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(expected);
    expect(count()).toBe(before);
  });

  it('a phone number is bound once per project, however it is spelled', async () => {
    expect((await create({ whatsapp_sandbox_session: { phone_number: '+1 (415) 555-0150', agent_id: ids.supportAgent } })).status).toBe(201);
    const before = count();
    for (const spelling of ['14155550150', '+1 415.555.0150', '+14155550150']) {
      const res = await create({ whatsapp_sandbox_session: { phone_number: spelling, agent_id: ids.orderAgent } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({ error: 'Phone number has already been taken' });
    }
    expect(count()).toBe(before);
    // The seeded session's number too.
    expect((await create({ whatsapp_sandbox_session: { phone_number: '+1 415-555-0123', agent_id: ids.orderAgent } })).body).toEqual({ error: 'Phone number has already been taken' });
    // Another project may bind the same number.
    const other = await api.post(sessions, { whatsapp_sandbox_session: { phone_number: '+14155550150', agent_id: ids.otherAgent } }, { key: OTHER_KEY });
    expect(other.status).toBe(201);
  });
});

describe('not found', () => {
  it.each([
    ['an unknown ID', MISSING_ID],
    ['an ID that is not a UUID', 'session-1'],
    ["another project's session", seed.ids('sandboxSessions', ids.otherProject)[0]!],
  ])('GET answers 404 for %s', async (_case, id) => {
    const res = await api.get(session(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Sandbox session not found' });
  });
});

describe('activation through the control plane', () => {
  it('a session past its expires_at cannot be activated', async () => {
    clock.advance(24 * HOUR);
    const res = await admin.post(activate(pendingSeeded.id));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: `The sandbox session expired at ${at(24 * HOUR)}: create a new one` });
    expect((await api.get(session(pendingSeeded.id))).body.data.status).toBe('pending_activation');
  });

  it('one millisecond before expires_at it can', async () => {
    clock.advance(24 * HOUR - 1);
    expect((await admin.post(activate(pendingSeeded.id))).status).toBe(200);
  });

  it('an unknown session is 404', async () => {
    const res = await admin.post(activate(MISSING_ID));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Sandbox session not found' });
  });

  it('with several projects holding the ID (a sandbox copy of the Demo Project) it needs project_id or X-API-Key', async () => {
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const ambiguous = await admin.post(activate(pendingSeeded.id));
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body.message).toBe(`2 projects hold sandbox session ${pendingSeeded.id}: give project_id (one of ${[demo.id, sandbox.id].sort().join(', ')}) or their X-API-Key`);

    const byKey = await admin.post(activate(pendingSeeded.id), {}, { headers: { 'x-api-key': sandbox.api_key } });
    expect(byKey.status).toBe(200);
    expect((await api.get(session(pendingSeeded.id), { key: sandbox.api_key })).body.data.status).toBe('active');
    expect((await api.get(session(pendingSeeded.id))).body.data.status).toBe('pending_activation');

    const byQuery = await admin.post(`${activate(pendingSeeded.id)}?project_id=${demo.id}`);
    expect(byQuery.status).toBe(200);
    expect((await api.get(session(pendingSeeded.id))).body.data.status).toBe('active');
  });

  it('project_id in the body picks the project; a project without the session is 404', async () => {
    const res = await admin.post(activate(pendingSeeded.id), { project_id: ids.otherProject });
    expect(res.status).toBe(404);
    expect((await admin.post(activate(pendingSeeded.id), { project_id: demo.id })).status).toBe(200);
  });

  it('an X-API-Key of no project is refused', async () => {
    const res = await admin.post(activate(pendingSeeded.id), {}, { headers: { 'x-api-key': 'kapso-nobody' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'X-API-Key belongs to no project' });
    expect((await admin.post(activate(pendingSeeded.id), {}, { headers: { 'x-api-key': DEMO_KEY } })).status).toBe(200);
  });
});
