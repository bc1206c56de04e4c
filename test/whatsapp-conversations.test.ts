// WhatsApp conversations: most recently active first, the spec's filters (and the later
// revision's), get, and status updates with their rules: ending one makes the number's next
// message open a new conversation; a number has one active conversation per config.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox, named, recordEvents } from './helpers/inbox.js';
import { demo, other, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const conversations = '/api/v1/whatsapp_conversations';
const conversation = (id: string) => `${conversations}/${id}`;

let app: FastifyInstance;
let api: Client;
let clock: Clock;

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
});

const list = async (query = '') => (await api.get(`${conversations}?per_page=100${query}`)).body.data as any[];
const idsOf = (rows: any[]) => rows.map((c) => c.id);

describe('listing', () => {
  it('every conversation of the project, most recently active first, in the API shape', async () => {
    const res = await api.get(`${conversations}?per_page=100`);
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ page: 1, per_page: 100, total_pages: 1, total_count: seed.count('whatsappConversations', demo.id) });
    const times = res.body.data.map((c: any) => c.last_active_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(res.body.data.find((c: any) => c.id === inbox.mariaOpen)).toEqual({
      id: inbox.mariaOpen, phone_number: '+15550102030', status: 'active', last_active_at: at(-20 * 60_000),
      contact_name: 'Maria Gonzalez', whatsapp_config_id: ids.acmeSupport,
    });
  });

  it('a message moves its conversation to the top', async () => {
    clock.advance(1000);
    const before = idsOf(await list());
    expect(before[0]).not.toBe(inbox.jamesOpen);
    expect((await api.post(`${conversation(inbox.jamesOpen)}/whatsapp_messages`, { message: { content: 'On it!' } })).status).toBe(201);
    const after = await list();
    expect(after[0]).toMatchObject({ id: inbox.jamesOpen, last_active_at: at(1000) });
  });

  it('pages with meta; per_page clamps at 100', async () => {
    const total = seed.count('whatsappConversations', demo.id);
    const page = await api.get(`${conversations}?per_page=3&page=2`);
    expect(page.body.meta).toEqual({ page: 2, per_page: 3, total_pages: Math.ceil(total / 3), total_count: total });
    expect(idsOf(page.body.data)).toEqual(idsOf(await list()).slice(3, 6));
    expect((await api.get(`${conversations}?per_page=1000`)).body.meta.per_page).toBe(100);
  });

  it.each([
    ['q[status_eq]=active', '&q[status_eq]=active', (c: any) => c.status === 'active'],
    ['q[status_eq]=ended', '&q[status_eq]=ended', (c: any) => c.status === 'ended'],
    ['q[status_eq] with an unknown status', '&q[status_eq]=archived', () => false],
    ['q[last_active_at_gteq]', `&q[last_active_at_gteq]=${encodeURIComponent(at(-3 * 3_600_000))}`, (c: any) => c.last_active_at >= at(-3 * 3_600_000)],
    ['q[last_active_at_lteq] with a bare date', '&q[last_active_at_lteq]=2026-03-10', (c: any) => c.last_active_at <= '2026-03-10T23:59:59.999Z'],
    ['q[whatsapp_config_id_eq]', `&q[whatsapp_config_id_eq]=${ids.acmeSales}`, (c: any) => c.whatsapp_config_id === ids.acmeSales],
    ['q[whatsapp_config_customer_id_eq]', `&q[whatsapp_config_customer_id_eq]=${ids.acme}`,
      (c: any) => [ids.acmeSupport, ids.acmeSales].includes(c.whatsapp_config_id)],
    ['q[phone_number_eq] in another spelling', `&q[phone_number_eq]=${encodeURIComponent('+1 (555) 010-2030')}`, (c: any) => c.phone_number === '+15550102030'],
    ['an unknown q[...] key is ignored', '&q[colour_eq]=red', () => true],
  ])('%s', async (_case, query, keep) => {
    const all = await list();
    const filtered = await list(query);
    expect(idsOf(filtered)).toEqual(idsOf(all.filter(keep)));
    if (!query.includes('unknown') && !query.includes('archived') && !query.includes('colour')) expect(filtered.length).toBeGreaterThan(0);
  });

  it('the other project sees only its own', async () => {
    const res = await api.get(conversations, { key: OTHER_KEY });
    expect(res.body.data.map((c: any) => c.id).sort()).toEqual(seed.ids('whatsappConversations', other.id).sort());
  });
});

describe('get', () => {
  it('by ID; the contact name comes from the contact, and is left out when it has none', async () => {
    expect((await api.get(conversation(inbox.priyaClosed))).body.data).toEqual({
      id: inbox.priyaClosed, phone_number: '+15550107788', status: 'active', last_active_at: '2026-03-13T10:00:00.000Z',
      contact_name: 'Priya Patel', whatsapp_config_id: ids.globexOrders,
    });
    const sent = await api.post('/api/v1/whatsapp_messages', { message: { phone_number: '+15550198888', message_type: 'template', template_name: 'hello_world' } });
    const [fresh] = await list(`&q[phone_number_eq]=15550198888`);
    expect(sent.status).toBe(201);
    expect(fresh).not.toHaveProperty('contact_name');
    const renamed = await api.patch('/api/v1/whatsapp_contacts/15550198888', { contact: { profile_name: 'Walk-in Customer' } });
    expect(renamed.status).toBe(200);
    expect((await api.get(conversation(fresh.id))).body.data.contact_name).toBe('Walk-in Customer');
  });

  it.each([
    ['missing', MISSING_ID, undefined],
    ['not a UUID', '12345', undefined],
    ["another project's", inbox.helenOpen, undefined],
    ['the Demo Project\'s, with the other key', inbox.mariaOpen, OTHER_KEY],
  ])('%s: 404 Conversation not found', async (_case, id, key) => {
    const res = await api.get(conversation(id), { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
  });
});

describe('updating the status', () => {
  it('ended: the conversation ends (one event); the number\'s next message opens a new conversation', async () => {
    const events = recordEvents(app);
    const res = await api.patch(conversation(inbox.mariaOpen), { whatsapp_conversation: { status: 'ended' } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: inbox.mariaOpen, status: 'ended' });
    expect(named(events)).toEqual(['whatsapp.conversation.ended']);
    expect(events[0]!.data).toEqual({ conversation_id: inbox.mariaOpen, whatsapp_config_id: ids.acmeSupport });

    const again = await api.patch(conversation(inbox.mariaOpen), { whatsapp_conversation: { status: 'ended' } });
    expect(again.body).toEqual(res.body);
    expect(events).toHaveLength(1);

    const inbound = await client(app, null).post('/__admin/simulate/inbound-message', { phone_number: '+15550102030', content: 'Me again' });
    expect(inbound.body.data.is_new_conversation).toBe(true);
    expect(inbound.body.data.conversation.id).not.toBe(inbox.mariaOpen);
  });

  it('active opens an ended conversation again, unless another conversation of the number is active on its config (422)', async () => {
    const reopened = await api.put(conversation(inbox.mariaSalesEnded), { whatsapp_conversation: { status: 'active' } });
    expect(reopened.status).toBe(200);
    expect(reopened.body.data.status).toBe('active');
    const before = app.state.dump();
    const clash = await api.patch(conversation(seed.find('whatsappConversations', (r) => r.status === 'ended' && r.whatsapp_config_id === ids.acmeSupport).id), {
      whatsapp_conversation: { status: 'active' },
    });
    expect(clash.status).toBe(422);
    expect(clash.body).toEqual({ error: 'Validation failed', message: 'Another conversation with this phone number is active on this WhatsApp configuration' });
    expect(app.state.dump()).toEqual(before);
  });

  it.each([
    ['an unknown status', { whatsapp_conversation: { status: 'archived' } }, 422, { error: 'Validation failed', message: 'status must be one of: active, ended' }],
    ['no status', { whatsapp_conversation: {} }, 422, { error: 'Validation failed', message: 'status must be one of: active, ended' }],
    ['a status that is not a string', { whatsapp_conversation: { status: true } }, 422, { error: 'Validation failed', message: 'status must be one of: active, ended' }],
    ['no wrapper', { status: 'ended' }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: whatsapp_conversation' }],
  ])('%s: %s', async (_case, body, status, error) => {
    const before = app.state.dump();
    const res = await api.patch(conversation(inbox.mariaOpen), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(app.state.dump()).toEqual(before);
  });

  it("another project's conversation is 404 and stays as it was", async () => {
    const before = app.state.dump();
    const res = await api.patch(conversation(inbox.helenOpen), { whatsapp_conversation: { status: 'ended' } });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
    expect(app.state.dump()).toEqual(before);
  });
});
