// The inbox in the control plane: a WhatsApp user writes in (/__admin/simulate/inbound-message),
// an outbound message moves along its life (/__admin/messages/{id}/status), a conversation ends
// (/__admin/conversations/{id}/end), each on the project API-DECISIONS "Control plane and
// projects" names; and the automatic statuses on the mock's clock (scheduler), switched by settings.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/clock.js';
import { client, DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from '../helpers/app.js';
import { inbox, named, recordEvents } from '../helpers/inbox.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const WAMID = /^wamid\.[A-Za-z0-9_=-]+$/;

let app: FastifyInstance;
let api: Client;
let admin: Client;
let clock: Clock;

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
});

const inbound = (body: Record<string, unknown>, opts?: { headers?: Record<string, string> }) => admin.post('/__admin/simulate/inbound-message', body, opts);
const setStatus = (id: string, body: Record<string, unknown>, opts?: { headers?: Record<string, string> }) => admin.post(`/__admin/messages/${id}/status`, body, opts);
const sendText = async (conversationId = inbox.mariaOpen) => {
  const res = await api.post(`/api/v1/whatsapp_conversations/${conversationId}/whatsapp_messages`, { message: { content: 'Your order has shipped.' } });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; whatsapp_message_id: string };
};

describe('POST /__admin/simulate/inbound-message', () => {
  it('a new number: 201 with the message, a new conversation on the project\'s first config, and a new contact', async () => {
    const events = recordEvents(app);
    const res = await inbound({ phone_number: '+1 (555) 019-7000', content: 'Hi, is anyone there?', contact_name: 'Rosa Diaz' });
    expect(res.status).toBe(201);
    const { message, conversation, is_new_conversation } = res.body.data;
    expect(is_new_conversation).toBe(true);
    expect(message).toEqual({
      id: expect.any(String), phone_number: '+15550197000', message_type: 'text', content: 'Hi, is anyone there?', direction: 'inbound',
      status: 'received', processing_status: 'processed', whatsapp_message_id: expect.stringMatching(WAMID), metadata: { preview_url: false },
      message_type_data: { text: 'Hi, is anyone there?' }, created_at: T0, updated_at: T0,
    });
    expect(conversation).toEqual({
      id: expect.any(String), phone_number: '+15550197000', status: 'active', last_active_at: T0, contact_name: 'Rosa Diaz', whatsapp_config_id: ids.acmeSupport,
    });
    expect((await api.get(`/api/v1/whatsapp_conversations/${conversation.id}/whatsapp_messages`)).body.data).toEqual([message]);
    expect((await api.get('/api/v1/whatsapp_contacts/15550197000')).body.data).toMatchObject({ profile_name: 'Rosa Diaz', customer_id: ids.acme });
    expect(named(events)).toEqual(['whatsapp.conversation.created', 'record.created', 'whatsapp.message.received']);
    expect(events[2]!.data).toEqual({ message_id: message.id, conversation_id: conversation.id, whatsapp_config_id: ids.acmeSupport });
  });

  it('a number with an active conversation on the config reuses it; a new contact_name renames the contact', async () => {
    clock.advance(1000);
    const res = await inbound({ phone_number: '15550102030', content: 'Thanks!', contact_name: 'María González' });
    expect(res.body.data.is_new_conversation).toBe(false);
    expect(res.body.data.conversation).toMatchObject({ id: inbox.mariaOpen, last_active_at: at(1000), contact_name: 'María González' });
  });

  it('another config: that config\'s conversation (a new one when the number has none there)', async () => {
    const res = await inbound({ phone_number: '15550102030', content: 'Sales question', whatsapp_config_id: ids.acmeSales });
    expect(res.body.data.is_new_conversation).toBe(true);
    expect(res.body.data.conversation.whatsapp_config_id).toBe(ids.acmeSales);
    expect(res.body.data.conversation.id).not.toBe(inbox.mariaSalesEnded);
  });

  it.each([
    ['image', { media_url: 'https://example.com/photos/broken-lid.jpg', caption: 'The lid is cracked' }, {
      content: '[Image] The lid is cracked', media_url: 'https://example.com/photos/broken-lid.jpg', message_type_data: { caption: 'The lid is cracked', mime_type: 'image/jpeg' },
    }],
    ['audio', { media_id: '998877', mime_type: 'audio/ogg; codecs=opus' }, { content: '[Audio]', message_type_data: { media_id: '998877', mime_type: 'audio/ogg; codecs=opus' } }],
    ['document', { media_url: 'https://example.com/receipt.pdf' }, { content: '[Document: receipt.pdf]', message_type_data: { mime_type: 'application/pdf', filename: 'receipt.pdf' } }],
    ['location', { latitude: 19.4326, longitude: -99.1332, location_name: 'Zócalo' }, {
      content: '[Location] Zócalo', message_type_data: { latitude: 19.4326, longitude: -99.1332, location_name: 'Zócalo' },
    }],
    ['interactive (a button reply)', { reply_option_id: 'express_no', reply_option_title: 'No, thanks' }, {
      content: 'No, thanks', message_type_data: { interactive_type: 'button', reply_option_id: 'express_no', reply_option_title: 'No, thanks' }, metadata: { reply: true },
    }],
    ['reaction', { reaction_emoji: '🎉', reacted_to_message_id: 'ae100000-0000-4000-8000-000000000004' }, {
      content: 'Reacted 🎉', message_type_data: { reaction_emoji: '🎉', reacted_to_message_id: 'wamid.HBgLMTU1NTAxMDIwMzAVAgARGBI3REFGRUJBNDI4QzIwOTkyOTMA' },
    }],
    ['contacts', { contacts: [{ name: { first_name: 'Ana', last_name: 'Ruiz' }, phones: [{ phone: '+5215512345678' }] }] }, {
      content: 'Contact: Ana Ruiz', message_type_data: { contacts: [{ name: { formatted_name: 'Ana Ruiz', first_name: 'Ana', last_name: 'Ruiz' }, phones: [{ phone: '+5215512345678' }] }] },
    }],
  ])('a %s message takes its fields in the same body', async (type, fields, expected) => {
    const res = await inbound({ phone_number: '+15550102030', message_type: type.split(' ')[0], ...fields });
    expect(res.status).toBe(201);
    expect(res.body.data.message).toMatchObject({ direction: 'inbound', message_type: type.split(' ')[0], ...expected });
  });

  it('a wamid of the caller\'s choosing; the same one twice is refused', async () => {
    const wamid = 'wamid.HBgLMTU1NTAxMDIwMzAVAgARGBJURVNUMDAwMDAwMDAwMDAxAA==';
    expect((await inbound({ phone_number: '+15550102030', content: 'a', whatsapp_message_id: wamid })).body.data.message.whatsapp_message_id).toBe(wamid);
    const again = await inbound({ phone_number: '+15550102030', content: 'b', whatsapp_message_id: wamid });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'Whatsapp message has already been taken' });
  });

  it.each([
    ['no phone number', { content: 'hi' }, { error: 'Validation failed', message: "phone_number can't be blank" }],
    ['no content for text', { phone_number: '+15550102030' }, { error: 'Validation failed', message: "content can't be blank for text messages" }],
    ['a template (only businesses send them)', { phone_number: '+15550102030', message_type: 'template' },
      { error: 'Validation failed', message: 'message_type must be one of: text, image, video, audio, document, location, interactive, reaction, contacts' }],
    ['a reaction to nothing in the conversation', { phone_number: '+15550102030', message_type: 'reaction', reaction_emoji: '👍', reacted_to_message_id: MISSING_ID },
      { error: 'Validation failed', message: 'reacted_to_message_id must be a message of this conversation' }],
    ['an unknown config', { phone_number: '+15550102030', content: 'x', whatsapp_config_id: MISSING_ID, project_id: ids.demoProject }, { error: 'Whatsapp config must exist' }],
    ['another project\'s config, naming the project', { phone_number: '+15550102030', content: 'x', whatsapp_config_id: ids.umbrellaConfig, project_id: ids.demoProject },
      { error: 'Whatsapp config must exist' }],
  ])('%s: 422, nothing stored', async (_case, body, error) => {
    const before = app.state.dump();
    const res = await inbound(body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(error);
    expect(app.state.dump()).toEqual(before);
  });
});

describe('which project a control-plane call acts on', () => {
  it('the first fixture project by default; project_id or an X-API-Key names another', async () => {
    expect((await inbound({ phone_number: '+15550197100', content: 'demo' })).body.data.conversation.whatsapp_config_id).toBe(ids.acmeSupport);
    expect((await inbound({ phone_number: '+15550197100', content: 'other', project_id: ids.otherProject })).body.data.conversation.whatsapp_config_id).toBe(ids.umbrellaConfig);
    const byKey = await inbound({ phone_number: '+15550197100', content: 'other' }, { headers: { 'x-api-key': OTHER_KEY } });
    expect(byKey.body.data.conversation.whatsapp_config_id).toBe(ids.umbrellaConfig);
    expect((await api.get('/api/v1/whatsapp_conversations?q[phone_number_eq]=15550197100', { key: OTHER_KEY })).body.data).toHaveLength(1);
  });

  it('a config ID alone finds the one project holding it', async () => {
    const res = await inbound({ phone_number: '+15550197100', content: 'hi', whatsapp_config_id: ids.umbrellaConfig });
    expect(res.status).toBe(201);
    expect((await api.get(`/api/v1/whatsapp_conversations/${res.body.data.conversation.id}`, { key: OTHER_KEY })).status).toBe(200);
  });

  it('a record ID held by several projects (a sandbox seeded from the Demo Project) is 422 naming them, until the project is named', async () => {
    const sandbox = await admin.post('/__admin/projects', { seed: true });
    expect(sandbox.status).toBe(201);
    const { id: sandboxId, api_key: sandboxKey } = sandbox.body.data;
    const sent = await sendText();
    const label = inbox.mariaLabel.id;

    const ambiguous = await setStatus(label, { status: 'read' });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body).toEqual({
      error: 'Validation failed',
      message: `2 projects hold WhatsApp message ${label}: give project_id (one of ${[ids.demoProject, sandboxId].sort().join(', ')}) or their X-API-Key`,
    });
    // A message only the Demo Project has needs no naming.
    expect((await setStatus(sent.id, { status: 'delivered' })).status).toBe(200);

    const ended = await admin.post(`/__admin/conversations/${inbox.mariaOpen}/end`, { project_id: sandboxId });
    expect(ended.status).toBe(200);
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}`, { key: sandboxKey })).body.data.status).toBe('ended');
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}`)).body.data.status).toBe('active');
    const byKey = await admin.post(`/__admin/conversations/${inbox.mariaOpen}/end`, {}, { headers: { 'x-api-key': DEMO_KEY } });
    expect(byKey.status).toBe(200);
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}`)).body.data.status).toBe('ended');
  });

  it.each([
    ['an unknown project_id', { project_id: MISSING_ID }, {}, 404, { error: 'Project not found' }],
    ['an unknown X-API-Key', {}, { 'x-api-key': 'kapso-nobody' }, 422, { error: 'Validation failed', message: 'X-API-Key belongs to no project' }],
    ['a record no project holds', {}, {}, 404, { error: 'Conversation not found' }],
  ])('%s: %s', async (_case, body, headers, status, error) => {
    const id = _case === 'a record no project holds' ? MISSING_ID : inbox.mariaOpen;
    const res = await admin.post(`/__admin/conversations/${id}/end`, body, { headers });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });

  it('a record that exists, but not in the named project, is that record\'s 404', async () => {
    const res = await admin.post(`/__admin/conversations/${inbox.mariaOpen}/end`, { project_id: ids.otherProject });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
  });
});

describe('POST /__admin/messages/{id}/status', () => {
  it('sent -> delivered -> read: each move with its time and its event; the API shows the status', async () => {
    const sent = await sendText();
    const events = recordEvents(app);
    clock.advance(2000);
    const delivered = await setStatus(sent.id, { status: 'delivered' });
    expect(delivered.status).toBe(200);
    expect(delivered.body.data).toMatchObject({
      id: sent.id, status: 'delivered', conversation_id: inbox.mariaOpen, sent_at: T0, delivered_at: at(2000), read_at: null, failed_at: null, error: null, updated_at: at(2000),
    });
    clock.advance(3000);
    const read = await setStatus(sent.id, { status: 'read' });
    expect(read.body.data).toMatchObject({ status: 'read', delivered_at: at(2000), read_at: at(5000) });
    expect(named(events)).toEqual(['whatsapp.message.delivered', 'whatsapp.message.read']);
    expect(events[0]!.data).toEqual({ message_id: sent.id, conversation_id: inbox.mariaOpen, whatsapp_config_id: ids.acmeSupport });
    const [listed] = (await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`)).body.data;
    expect(listed).toMatchObject({ id: sent.id, status: 'read', updated_at: at(5000) });
  });

  it('read straight from sent passes through delivered (both events); the same status again changes nothing', async () => {
    const sent = await sendText();
    const events = recordEvents(app);
    const read = await setStatus(sent.id, { status: 'read' });
    expect(read.body.data).toMatchObject({ status: 'read', delivered_at: T0, read_at: T0 });
    expect(named(events)).toEqual(['whatsapp.message.delivered', 'whatsapp.message.read']);
    clock.advance(1000);
    const again = await setStatus(sent.id, { status: 'read' });
    expect(again.body).toEqual(read.body);
    expect(events).toHaveLength(2);
  });

  it('failed, with Meta\'s error (default: 131026 undeliverable)', async () => {
    const sent = await sendText();
    const failed = await setStatus(sent.id, { status: 'failed', error: { code: 131049, title: 'Message not delivered to maintain healthy ecosystem engagement' } });
    expect(failed.body.data).toMatchObject({
      status: 'failed', failed_at: T0,
      error: { code: 131049, title: 'Message not delivered to maintain healthy ecosystem engagement', message: 'Message not delivered to maintain healthy ecosystem engagement', error_data: { details: 'Message not delivered to maintain healthy ecosystem engagement' } },
    });
    const other = await sendText();
    expect((await setStatus(other.id, { status: 'failed' })).body.data.error).toMatchObject({ code: 131026, title: 'Message undeliverable' });
  });

  it.each([
    ['backwards', ['read'], 'delivered', 'Cannot move a read message back to delivered'],
    ['a failed message', ['failed'], 'read', 'A failed message keeps its status'],
    ['a read message failing', ['read'], 'failed', 'A read message cannot fail'],
  ])('%s is 422 and changes nothing', async (_case, first, next, message) => {
    const sent = await sendText();
    for (const status of first) await setStatus(sent.id, { status });
    const before = app.state.dump();
    const res = await setStatus(sent.id, { status: next });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect(app.state.dump()).toEqual(before);
  });

  it.each([
    ['an inbound message', () => inbox.mariaFirst.id, { status: 'read' }, 422, { error: 'Validation failed', message: 'Only outbound messages have a delivery status' }],
    ['an error without failed', () => inbox.mariaLabel.id, { status: 'read', error: { code: 1, title: 'x' }, project_id: ids.demoProject }, 422,
      { error: 'Validation failed', message: 'error is only given with status failed' }],
    ['an unknown status', () => inbox.mariaLabel.id, { status: 'seen' }, 422, { error: 'Validation failed', message: 'status must be one of: sent, delivered, read, failed' }],
    ['a missing message', () => MISSING_ID, { status: 'read' }, 404, { error: 'WhatsApp message not found' }],
  ])('%s: %s', async (_case, id, body, status, error) => {
    const res = await setStatus(id(), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });
});

describe('POST /__admin/conversations/{id}/end', () => {
  it('ends it once (one event); the number\'s next message opens a new conversation', async () => {
    const events = recordEvents(app);
    const res = await admin.post(`/__admin/conversations/${inbox.jamesOpen}/end`, {});
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: inbox.jamesOpen, status: 'ended' });
    expect((await admin.post(`/__admin/conversations/${inbox.jamesOpen}/end`)).body).toEqual(res.body);
    expect(named(events)).toEqual(['whatsapp.conversation.ended']);
    expect((await inbound({ phone_number: '+15550104411', content: 'Hello?' })).body.data.is_new_conversation).toBe(true);
  });
});

describe('automatic statuses (auto_message_status), on the mock\'s clock', () => {
  const statusOf = async (id: string) =>
    (await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages?per_page=100`)).body.data.find((m: any) => m.id === id).status;

  it('off by default: nothing moves, however far the clock goes', async () => {
    const sent = await sendText();
    await admin.post('/__admin/clock', { advance_ms: 86_400_000 });
    expect(await statusOf(sent.id)).toBe('sent');
  });

  it('on: delivered after delivered_after_ms, read after read_after_ms more; frozen time moves nothing until advanced', async () => {
    const settings = await admin.patch('/__admin/settings', { auto_message_status: true, delivered_after_ms: 1000, read_after_ms: 5000 });
    expect(settings.body.data).toMatchObject({ auto_message_status: true, delivered_after_ms: 1000, read_after_ms: 5000 });
    const sent = await sendText();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await statusOf(sent.id)).toBe('sent');

    const events = recordEvents(app);
    await admin.post('/__admin/clock', { advance_ms: 999 });
    expect(await statusOf(sent.id)).toBe('sent');
    await admin.post('/__admin/clock', { advance_ms: 1 });
    expect(await statusOf(sent.id)).toBe('delivered');
    await admin.post('/__admin/clock', { advance_ms: 4999 });
    expect(await statusOf(sent.id)).toBe('delivered');
    await admin.post('/__admin/clock', { advance_ms: 1 });
    expect(await statusOf(sent.id)).toBe('read');
    expect(named(events).filter((n) => n.startsWith('whatsapp.message.'))).toEqual(['whatsapp.message.delivered', 'whatsapp.message.read']);
    const record = app.repos.whatsappMessages.record(ids.demoProject, sent.id)!;
    expect(record).toMatchObject({ sent_at: T0, delivered_at: at(1000), read_at: at(6000) });
  });

  it('a jump past both delays moves a message all the way, with the times it would have had; seeded messages waiting move too', async () => {
    await admin.patch('/__admin/settings', { auto_message_status: true, delivered_after_ms: 2000, read_after_ms: 3000 });
    const sent = await sendText();
    await admin.post('/__admin/clock', { advance_ms: 60_000 });
    expect(app.repos.whatsappMessages.record(ids.demoProject, sent.id)).toMatchObject({ status: 'read', delivered_at: at(2000), read_at: at(5000) });
    // Maria's seeded button message was delivered (not read) 30 minutes before load.
    expect(app.repos.whatsappMessages.record(ids.demoProject, inbox.mariaButtons.id)!.status).toBe('read');
    // Inbound and failed messages are not theirs to move.
    expect(app.repos.whatsappMessages.record(ids.demoProject, inbox.mariaFirst.id)!.status).toBe('read');
  });

  it('switched on with messages already due: they move when the setting changes', async () => {
    const sent = await sendText();
    await admin.post('/__admin/clock', { advance_ms: 10_000 });
    expect(await statusOf(sent.id)).toBe('sent');
    await admin.patch('/__admin/settings', { auto_message_status: true, delivered_after_ms: 1000, read_after_ms: 1000 });
    expect(await statusOf(sent.id)).toBe('read');
  });

  it('KAPSO_MOCK_AUTO_MESSAGE_STATUS and the delays start it from the configuration', async () => {
    const started = await makeFrozenApp(T0, { autoMessageStatus: true, deliveredAfterMs: 100, readAfterMs: 200 });
    expect((await client(started.app, null).get('/__admin/settings')).body.data).toMatchObject({ auto_message_status: true, delivered_after_ms: 100, read_after_ms: 200 });
    const res = await started.api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'x' } });
    started.clock.advance(300);
    expect(started.app.repos.whatsappMessages.record(ids.demoProject, res.body.data.id)!.status).toBe('read');
  });

  it.each([
    ['delivered_after_ms: -1', { delivered_after_ms: -1 }, 'delivered_after_ms must be at least 0'],
    ['read_after_ms: "1s"', { read_after_ms: '1s' }, 'read_after_ms must be a number'],
    ['auto_message_status: "on"', { auto_message_status: 'on' }, 'auto_message_status must be a boolean'],
    ['messaging_window: 0', { messaging_window: 0 }, 'messaging_window must be a boolean'],
  ])('settings refuse %s', async (_case, body, message) => {
    const res = await admin.patch('/__admin/settings', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });
});
