// The inbox's fixtures (fixtures/20-whatsapp-contacts.json, 21-whatsapp-templates.json,
// 22-whatsapp-conversations.json): what a frontend finds at start-up, times placed relative to the
// moment the fixtures load, and start-up errors that name the bad record.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFormat } from '../src/app.js';
import { createClock } from '../src/clock.js';
import { client, ids, makeApp, makeFrozenApp, OTHER_KEY } from './helpers/app.js';
import { inbox } from './helpers/inbox.js';
import { demo, other, seed } from './helpers/seed.js';

const dir = mkdtempSync(join(tmpdir(), 'kapso-inbox-fixtures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = '2026-06-01T12:00:00.000Z';
const P = '33333333-3333-4333-8333-333333333333';
const CUSTOMER = 'c3000000-0000-4000-8000-000000000001';
const CONFIG = 'b3000000-0000-4000-8000-000000000001';
const base = (extra: Record<string, unknown>) => ({
  projects: [{
    id: P, name: 'Test Project', api_key: 'test-key',
    customers: [{
      id: CUSTOMER, name: 'Test Co', external_customer_id: 'T-1',
      whatsapp_configs: [{ id: CONFIG, name: 'Line', phone_number_id: '19990000001', business_account_id: '1999', webhook_verify_token: 'v' }],
    }],
    ...extra,
  }],
});
const conversationWith = (messages: unknown[], extra: Record<string, unknown> = {}) => ({
  whatsapp_conversations: [{ id: 'ca300000-0000-4000-8000-000000000001', whatsapp_config_id: CONFIG, phone_number: '+1 555 010 0001', messages, ...extra }],
});

describe('the shipped inbox fixtures', () => {
  it('give both projects contacts, notes, templates, conversations and messages', () => {
    for (const p of [demo, other]) {
      for (const kind of ['whatsappContacts', 'whatsappContactNotes', 'whatsappTemplates', 'whatsappConversations', 'whatsappMessages'] as const) {
        expect(seed.count(kind, p.id), `${p.name}: ${kind}`).toBeGreaterThan(0);
      }
    }
    const demoMessages = seed.records.filter((r) => r.kind === 'whatsappMessages' && r.projectId === demo.id).map((r) => r.record);
    expect(new Set(demoMessages.map((m) => m.message_type))).toEqual(new Set(['text', 'image', 'video', 'audio', 'document', 'template', 'location', 'interactive', 'reaction', 'contacts']));
    expect(new Set(demoMessages.map((m) => m.direction))).toEqual(new Set(['inbound', 'outbound']));
    const statuses = seed.records.filter((r) => r.kind === 'whatsappTemplates' && r.projectId === demo.id).map((r) => r.record.status);
    expect(new Set(statuses)).toEqual(new Set(['approved', 'submitted', 'rejected', 'draft', 'disabled']));
    const conversations = seed.records.filter((r) => r.kind === 'whatsappConversations' && r.projectId === demo.id).map((r) => r.record.status);
    expect(new Set(conversations)).toEqual(new Set(['active', 'ended']));
  });

  it('every business account has Meta\'s approved hello_world', () => {
    const accounts = new Set(seed.records.filter((r) => r.kind === 'whatsappConfigs').map((r) => String(r.record.business_account_id)));
    const hellos = seed.records.filter((r) => r.kind === 'whatsappTemplates' && r.record.name === 'hello_world' && r.record.status === 'approved');
    const configs = new Map(seed.records.filter((r) => r.kind === 'whatsappConfigs').map((r) => [r.id, String(r.record.business_account_id)]));
    expect(new Set(hellos.map((h) => configs.get(String(h.record.whatsapp_config_id))))).toEqual(accounts);
  });

  it('at start-up the Demo Project has open windows (Maria, James, Lucas) and a closed one (Priya), whatever the date', async () => {
    for (const moment of ['2026-06-01T12:00:00.000Z', '2031-02-28T23:59:59.000Z']) {
      const { api } = await makeFrozenApp(moment);
      const text = (id: string) => api.post(`/api/v1/whatsapp_conversations/${id}/whatsapp_messages`, { message: { content: 'Hello' } });
      for (const open of [inbox.mariaOpen, inbox.jamesOpen]) expect((await text(open)).status, `${moment} ${open}`).toBe(201);
      for (const closed of [inbox.priyaClosed, inbox.sofiaNeverWrote]) expect((await text(closed)).status, `${moment} ${closed}`).toBe(422);
    }
  });

  it('a reset places them again relative to the moment of the reset', async () => {
    const clock = createClock();
    clock.freeze(Date.parse(T0));
    const app = await makeApp({}, { clock });
    const api = client(app);
    clock.advance(48 * 3_600_000);
    const late = await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Two days later' } });
    expect(late.status).toBe(422);
    expect((await client(app, null).post('/__admin/reset')).status).toBe(200);
    const fresh = await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'After the reset' } });
    expect(fresh.status).toBe(201);
  });

  it('the Other Project has its own', async () => {
    const { api } = await makeFrozenApp(T0);
    const res = await api.get(`/api/v1/whatsapp_conversations/${inbox.helenOpen}/whatsapp_messages`, { key: OTHER_KEY });
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeGreaterThan(0);
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.helenOpen}`, { key: OTHER_KEY })).body.data.whatsapp_config_id).toBe(ids.umbrellaConfig);
  });
});

describe('a fixtures file with inbox records', () => {
  it('seeds messages placed with ago, content rendered from the data, statuses with their times', async () => {
    const file = join(dir, 'inbox.json');
    writeFileSync(file, JSON.stringify(base(conversationWith([
      { id: 'ae300000-0000-4000-8000-000000000001', direction: 'inbound', message_type: 'location', message_type_data: { latitude: 1.5, longitude: 2.5, location_name: 'Pier 39' }, ago: '3h' },
      { id: 'ae300000-0000-4000-8000-000000000002', direction: 'outbound', message_type_data: { text: 'On my way' }, ago: '90m' },
    ], { ago: '4h', status: 'active' }))));
    const clock = createClock();
    clock.freeze(Date.parse(T0));
    const app = await makeApp({ fixturesPath: file }, { clock });
    const api = client(app, 'test-key');
    const messages = (await api.get('/api/v1/whatsapp_conversations/ca300000-0000-4000-8000-000000000001/whatsapp_messages')).body.data;
    expect(messages.map((m: any) => [m.content, m.status, m.created_at])).toEqual([
      ['On my way', 'read', '2026-06-01T10:30:00.000Z'],
      ['[Location] Pier 39', 'received', '2026-06-01T09:00:00.000Z'],
    ]);
    expect(app.repos.whatsappMessages.record(P, 'ae300000-0000-4000-8000-000000000002')).toMatchObject({
      sent_at: '2026-06-01T10:30:00.000Z', delivered_at: '2026-06-01T10:30:02.000Z', read_at: '2026-06-01T10:30:45.000Z',
    });
    expect((await api.get('/api/v1/whatsapp_conversations/ca300000-0000-4000-8000-000000000001')).body.data).toMatchObject({
      phone_number: '+15550100001', last_active_at: '2026-06-01T10:30:00.000Z',
    });
  });

  it.each([
    ['message data that does not fit its type', conversationWith([{ id: 'ae300000-0000-4000-8000-000000000001', direction: 'inbound', message_type: 'location', message_type_data: { text: 'hi' } }]),
      /messages\[0\] \(ae300000-.*\) > message_type_data: is not location data/],
    ['message data with a key its type does not have', conversationWith([{ id: 'ae300000-0000-4000-8000-000000000001', direction: 'inbound', message_type_data: { text: 'hi', colour: 'red' } }]),
      /messages\[0\] \(ae300000-.*\) > message_type_data: is not text data: Unrecognized key: "colour"/],
    ['a status an inbound message cannot have', conversationWith([{ id: 'ae300000-0000-4000-8000-000000000001', direction: 'inbound', status: 'delivered', message_type_data: { text: 'hi' } }]),
      /messages\[0\] .* > status: must be one of received, read for inbound messages/],
    ['a template message without its content', conversationWith([{
      id: 'ae300000-0000-4000-8000-000000000001', direction: 'outbound', message_type: 'template', message_type_data: { template_name: 'x', template_language: 'en', template_params: [] },
    }]), /messages\[0\] .* > content: is required for template messages/],
    ['a bad ago', conversationWith([], { ago: 'yesterday' }), /whatsapp_conversations\[0\] .* > ago: must be a duration like 90s, 20m, 3h or 2d/],
    ['a phone number that is not one', { whatsapp_conversations: [{ id: 'ca300000-0000-4000-8000-000000000001', whatsapp_config_id: CONFIG, phone_number: 'office' }] },
      /phone_number: must be a phone number/],
    ['a template name Meta would refuse', { whatsapp_templates: [{ id: 'e3000000-0000-4000-8000-000000000001', whatsapp_config_id: CONFIG, name: 'Hello World', language_code: 'en_US', category: 'UTILITY', status: 'approved', components: [{ type: 'BODY', text: 'Hi' }] }] },
      /whatsapp_templates\[0\] .* > name: must be lowercase letters, digits and underscores/],
  ])('%s is refused, naming the record', (_case, extra, message) => {
    expect(() => fixtureFormat.parse(base(extra), 'test.json')).toThrow(message);
  });

  it.each([
    ['a conversation on a config of no project', { whatsapp_conversations: [{ id: 'ca300000-0000-4000-8000-000000000001', whatsapp_config_id: 'b3000000-0000-4000-8000-000000000009', phone_number: '15550100001' }] },
      /whatsapp_conversations\[0\] \(ca300000-.*\): FOREIGN KEY constraint failed/],
    ['a template for a config of no project', { whatsapp_templates: [{ id: 'e3000000-0000-4000-8000-000000000001', whatsapp_config_id: 'b3000000-0000-4000-8000-000000000009', name: 'hi', language_code: 'en_US', category: 'UTILITY', status: 'approved', components: [{ type: 'BODY', text: 'Hi' }] }] },
      /whatsapp_templates\[0\] \(e3000000-.*\): whatsapp_config_id b3000000-0000-4000-8000-000000000009 is not a WhatsApp config of the project/],
    ['a contact of a customer of no project', { whatsapp_contacts: [{ id: 'f3000000-0000-4000-8000-000000000001', wa_id: '15550100001', customer_id: 'c3000000-0000-4000-8000-000000000009' }] },
      /whatsapp_contacts\[0\] \(f3000000-.*\): Customer must exist/],
    ['two active conversations of a number on one config', { whatsapp_conversations: [
      { id: 'ca300000-0000-4000-8000-000000000001', whatsapp_config_id: CONFIG, phone_number: '15550100001' },
      { id: 'ca300000-0000-4000-8000-000000000002', whatsapp_config_id: CONFIG, phone_number: '+1 555 010 0001' },
    ] }, /whatsapp_conversations\[1\] \(ca300000-.*\): Another conversation with this phone number is active on this WhatsApp configuration/],
  ])('%s fails at start-up, naming the record', async (_case, extra, message) => {
    const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify(base(extra)));
    await expect(makeApp({ fixturesPath: file })).rejects.toThrow(message);
  });
});
