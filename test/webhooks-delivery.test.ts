// Outbound webhooks with a real receiver on 127.0.0.1 (docs/webhooks.md): what is sent for each
// event (payloads v2 and v1 against schemas written from Kapso's docs), the headers and the
// signature over the raw body, retries with the same idempotency key on the mock's clock, giving
// up, buffering and batches (and their fallback), order per conversation, inactivity, filters and
// inactive webhooks, the faults, and that no request waits for a receiver.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, ids, makeFrozenApp, type Client } from './helpers/app.js';
import { inbox } from './helpers/inbox.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { seed } from './helpers/seed.js';
import { deliveriesOf, hmac, verify } from './helpers/webhooks.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const unix = (ms: number) => String(Math.floor((Date.parse(T0) + ms) / 1000));
const SECRET = 'receiver-secret';
const SUPPORT_PHONE_ID = String(seed.find('whatsappConfigs', 'Acme Support').record.phone_number_id);
const MARIA = '+15550102030';
const NEWCOMER = '+15550199999';

let app: FastifyInstance;
let api: Client;
let admin: Client;
let clock: Clock;
let receiver: Receiver;
let deliveries: ReturnType<typeof deliveriesOf>;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
  deliveries = deliveriesOf(admin);
  await receiver.reset();
});

/** An active webhook on Acme Support pointing at the receiver. */
async function webhook(fields: Record<string, unknown> = {}, configId: string = ids.acmeSupport): Promise<any> {
  const res = await api.post(`/api/v1/whatsapp_configs/${configId}/whatsapp_webhooks`, {
    whatsapp_webhook: { url: receiver.url(), secret_key: SECRET, events: ['whatsapp.message.received'], ...fields },
  });
  expect(res.status).toBe(201);
  return res.body.data;
}

const inbound = async (body: Record<string, unknown>) => {
  const res = await admin.post('/__admin/simulate/inbound-message', { phone_number: MARIA, content: 'Hello', whatsapp_config_id: ids.acmeSupport, ...body });
  expect(res.status).toBe(201);
  return res.body.data as { message: any; conversation: any; is_new_conversation: boolean };
};
const send = async (content = 'On my way', conversationId = inbox.mariaOpen) => {
  const res = await api.post(`/api/v1/whatsapp_conversations/${conversationId}/whatsapp_messages`, { message: { content } });
  expect(res.status).toBe(201);
  return res.body.data as { id: string; whatsapp_message_id: string };
};
const setStatus = async (id: string, body: Record<string, unknown>) => {
  const res = await admin.post(`/__admin/messages/${id}/status`, body);
  expect(res.status).toBe(200);
  return res.body.data;
};

describe('what a receiver gets', () => {
  it('a signed POST: the signature verifies against the raw body, with Kapso\'s headers and the webhook\'s own', async () => {
    const w = await webhook({ events: ['whatsapp.message.received', 'whatsapp.conversation.created'], headers: { 'X-Tenant': 'acme', Authorization: 'Bearer t0k' } });
    const { message, conversation } = await inbound({ phone_number: NEWCOMER, content: 'Hi there! ¿Dónde está mi pedido? 📦', contact_name: 'Nia Newcomer' });
    const [created, received] = await receiver.next(2);
    // A conversation's events in the order they happened: the conversation first.
    const c = verify(created!, { secret: SECRET, event: 'whatsapp.conversation.created' });
    const m = verify(received!, { secret: SECRET, event: 'whatsapp.message.received' });
    for (const r of [created!, received!]) {
      expect(r.path).toBe('/hook');
      expect(r.headers['x-tenant']).toBe('acme');
      expect(r.headers.authorization).toBe('Bearer t0k');
    }
    expect(created!.headers['x-idempotency-key']).not.toBe(received!.headers['x-idempotency-key']);
    // Non-ASCII text is signed as the UTF-8 bytes sent.
    expect(received!.raw.toString('utf8')).toContain('¿Dónde está mi pedido? 📦');
    expect(hmac('another-secret', received!.raw)).not.toBe(received!.headers['x-webhook-signature']);
    expect(c.conversation.id).toBe(conversation.id);
    expect(m.message.id).toBe(message.whatsapp_message_id);

    // The control plane shows what was sent, the secret never.
    const seen = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 2 });
    expect(seen.map((d) => d.event)).toEqual(['whatsapp.message.received', 'whatsapp.conversation.created']);
    expect(JSON.stringify(seen)).not.toContain(SECRET);
    expect(seen[0]).toMatchObject({
      url: receiver.url(), status: 'delivered', attempt_count: 1, conversation_id: conversation.id, delivered_at: T0, failed_at: null,
      headers: { 'X-Webhook-Signature': received!.headers['x-webhook-signature'], 'X-Idempotency-Key': received!.headers['x-idempotency-key'], 'X-Tenant': 'acme' },
      payload: m,
    });
    expect(seen[0].attempts).toEqual([{ at: T0, status: 200, error: null, duration_ms: expect.any(Number), response_body: 'OK' }]);
  });

  it('whatsapp.message.received (v2): Meta\'s message shape, the kapso block, the conversation and its summary', async () => {
    await webhook();
    const { message, conversation } = await inbound({ content: 'Is my order on its way?', contact_name: 'Maria Gonzalez' });
    const body = verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.received' });
    expect(body).toEqual({
      message: {
        id: message.whatsapp_message_id, timestamp: unix(0), type: 'text', from: '15550102030', text: { body: 'Is my order on its way?' },
        kapso: {
          direction: 'inbound', status: 'received', processing_status: 'completed', origin: 'cloud_api', has_media: false,
          content: 'Is my order on its way?', message_type_data: { text: 'Is my order on its way?' },
        },
      },
      conversation: {
        id: inbox.mariaOpen, phone_number: MARIA, status: 'active', last_active_at: T0, created_at: expect.any(String), updated_at: T0,
        metadata: expect.any(Object), phone_number_id: SUPPORT_PHONE_ID,
        kapso: {
          contact_name: 'Maria Gonzalez', messages_count: expect.any(Number), last_message_id: message.whatsapp_message_id, last_message_type: 'text',
          last_message_timestamp: T0, last_message_text: 'Is my order on its way?', last_inbound_at: T0, last_outbound_at: expect.any(String),
        },
      },
      is_new_conversation: false,
      phone_number_id: SUPPORT_PHONE_ID,
    });
    expect(conversation.id).toBe(inbox.mariaOpen);
    expect(body.conversation.kapso.messages_count).toBe(seed.records.filter((r) => r.kind === 'whatsappMessages' && r.parentId === inbox.mariaOpen).length + 1);
  });

  it('an outbound message through its life: sent, delivered, read, each with Meta\'s statuses so far', async () => {
    await webhook({ events: ['whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read'] });
    const sent = await send('On my way');
    clock.advance(2000);
    await setStatus(sent.id, { status: 'delivered' });
    clock.advance(3000);
    await setStatus(sent.id, { status: 'read' });
    const got = await receiver.next(3);
    const bodies = got.map((r, i) => verify(r, { secret: SECRET, event: ['whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read'][i]! }));
    const status = (s: string, ms: number) => ({ id: sent.whatsapp_message_id, status: s, timestamp: unix(ms), recipient_id: '15550102030' });
    expect(bodies.map((b) => [b.message.kapso.status, b.message.timestamp, b.message.kapso.statuses])).toEqual([
      ['sent', unix(0), [status('sent', 0)]],
      ['delivered', unix(2000), [status('sent', 0), status('delivered', 2000)]],
      ['read', unix(5000), [status('sent', 0), status('delivered', 2000), status('read', 5000)]],
    ]);
    expect(bodies[0].message).toMatchObject({ id: sent.whatsapp_message_id, to: '15550102030', type: 'text', text: { body: 'On my way' } });
    expect(bodies.map((b) => b.is_new_conversation)).toEqual([false, false, false]);
  });

  it('a message sent straight to read fires delivered and read, each as it was at its step', async () => {
    await webhook({ events: ['whatsapp.message.delivered', 'whatsapp.message.read'] });
    const sent = await send();
    await setStatus(sent.id, { status: 'read' });
    const [delivered, read] = (await receiver.next(2)).map((r, i) => verify(r, { secret: SECRET, event: i === 0 ? 'whatsapp.message.delivered' : 'whatsapp.message.read' }));
    expect(delivered.message.kapso.statuses.map((s: any) => s.status)).toEqual(['sent', 'delivered']);
    expect(read.message.kapso.statuses.map((s: any) => s.status)).toEqual(['sent', 'delivered', 'read']);
  });

  it('whatsapp.message.failed carries Meta\'s error in its last status', async () => {
    await webhook({ events: ['whatsapp.message.failed'] });
    const sent = await send();
    clock.advance(1000);
    await setStatus(sent.id, { status: 'failed', error: { code: 131047, title: 'Re-engagement message', message: 'More than 24 hours have passed since the recipient last replied' } });
    const body = verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.failed' });
    expect(body.message.kapso.status).toBe('failed');
    expect(body.message.kapso.statuses).toEqual([
      { id: sent.whatsapp_message_id, status: 'sent', timestamp: unix(0), recipient_id: '15550102030' },
      {
        id: sent.whatsapp_message_id, status: 'failed', timestamp: unix(1000), recipient_id: '15550102030',
        errors: [{
          code: 131047, title: 'Re-engagement message', message: 'More than 24 hours have passed since the recipient last replied',
          error_data: { details: 'More than 24 hours have passed since the recipient last replied' },
        }],
      },
    ]);
  });

  it('a message that opens a conversation is new; the conversation events carry the conversation and its summary', async () => {
    await webhook({ events: ['whatsapp.message.sent', 'whatsapp.conversation.created', 'whatsapp.conversation.ended'] });
    const res = await api.post(`/api/v1/whatsapp_templates/${inbox.helloAcme}/send_template`, { template: { phone_number: NEWCOMER, whatsapp_config_id: ids.acmeSupport } });
    expect(res.status).toBe(200);
    const [created, sent] = await receiver.next(2);
    const c = verify(created!, { secret: SECRET, event: 'whatsapp.conversation.created' });
    const s = verify(sent!, { secret: SECRET, event: 'whatsapp.message.sent' });
    expect(s.is_new_conversation).toBe(true);
    expect(s.message.type).toBe('template');
    expect(s.message.template).toMatchObject({ name: 'hello_world', language: { code: expect.any(String) } });
    expect(c).toEqual({
      conversation: {
        id: s.conversation.id, phone_number: NEWCOMER, status: 'active', last_active_at: T0, created_at: T0, updated_at: T0, metadata: {},
        phone_number_id: SUPPORT_PHONE_ID,
        kapso: {
          contact_name: null, messages_count: 0, last_message_id: null, last_message_type: null, last_message_timestamp: null, last_message_text: null,
          last_inbound_at: null, last_outbound_at: null,
        },
      },
      phone_number_id: SUPPORT_PHONE_ID,
    });
    clock.advance(60_000);
    expect((await admin.post(`/__admin/conversations/${s.conversation.id}/end`, {})).status).toBe(200);
    const ended = verify((await receiver.next(3))[2]!, { secret: SECRET, event: 'whatsapp.conversation.ended' });
    expect(ended.conversation).toMatchObject({ id: s.conversation.id, status: 'ended', updated_at: at(60_000) });
    expect(ended.conversation.kapso).toMatchObject({ messages_count: 1, last_message_type: 'template', last_outbound_at: T0 });
  });

  it.each([
    ['image', { message_type: 'image', media_url: 'https://cdn.example.com/photos/receipt.png', caption: 'My receipt' }, (b: any) => {
      expect(b.message.image).toEqual({ link: 'https://cdn.example.com/photos/receipt.png', mime_type: 'image/png', caption: 'My receipt' });
      expect(b.message.kapso).toMatchObject({
        has_media: true, media_url: 'https://cdn.example.com/photos/receipt.png',
        media_data: { url: 'https://cdn.example.com/photos/receipt.png', filename: 'receipt.png', content_type: 'image/png' },
      });
    }],
    ['audio', { message_type: 'audio', media_id: 'media-778', mime_type: 'audio/ogg' }, (b: any) => {
      expect(b.message.audio).toEqual({ id: 'media-778', mime_type: 'audio/ogg' });
      expect(b.message.kapso.has_media).toBe(true);
      expect(b.message.kapso.media_url).toBeUndefined();
    }],
    ['document', { message_type: 'document', media_url: 'https://cdn.example.com/invoice-1042.pdf' }, (b: any) => {
      expect(b.message.document).toMatchObject({ filename: 'invoice-1042.pdf', mime_type: 'application/pdf' });
    }],
    ['location', { message_type: 'location', latitude: 40.7411, longitude: -73.9897, location_name: 'Flatiron', location_address: '175 5th Ave' }, (b: any) => {
      expect(b.message.location).toEqual({ latitude: 40.7411, longitude: -73.9897, name: 'Flatiron', address: '175 5th Ave' });
    }],
    ['a button reply', { message_type: 'interactive', reply_option_id: 'track', reply_option_title: 'Track order' }, (b: any) => {
      expect(b.message.interactive).toEqual({ type: 'button_reply', button_reply: { id: 'track', title: 'Track order' } });
    }],
    ['a list reply', { message_type: 'interactive', interactive_type: 'list', reply_option_id: 'blender', reply_option_title: 'Blender' }, (b: any) => {
      expect(b.message.interactive).toEqual({ type: 'list_reply', list_reply: { id: 'blender', title: 'Blender' } });
    }],
    ['a reaction', { message_type: 'reaction', reaction_emoji: '👍', reacted_to_message_id: inbox.mariaLabel.id }, (b: any) => {
      expect(b.message.reaction).toEqual({ message_id: expect.stringMatching(/^wamid\./), emoji: '👍' });
    }],
    ['a contact card', { message_type: 'contacts', contacts: [{ name: { formatted_name: 'Dana Scully' }, phones: [{ phone: '+1 555 0100', type: 'WORK' }] }] }, (b: any) => {
      expect(b.message.contacts).toEqual([{ name: { formatted_name: 'Dana Scully' }, phones: [{ phone: '+1 555 0100', type: 'WORK' }] }]);
    }],
  ])('%s in Meta\'s shape', async (_type, fields, check) => {
    await webhook();
    await inbound({ content: undefined, ...fields });
    check(verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.received' }));
  });

  it('outbound interactive messages in Meta\'s send shape', async () => {
    await webhook({ events: ['whatsapp.message.sent'] });
    const res = await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, {
      message: { message_type: 'interactive', interactive_type: 'button', content: 'x', body_text: 'Track it?', footer_text: 'Acme', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] },
    });
    expect(res.status).toBe(201);
    const body = verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.sent' });
    expect(body.message.interactive).toEqual({
      type: 'button', body: { text: 'Track it?' }, footer: { text: 'Acme' },
      action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] },
    });
  });

  it('v1 (legacy) payloads: the API\'s own message and conversation, a nested whatsapp_config', async () => {
    await webhook({ payload_version: 'v1', events: ['whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.failed', 'whatsapp.conversation.created'] });
    const { message } = await inbound({ phone_number: NEWCOMER, content: 'Hola' });
    const sent = await send('Hi!');
    await setStatus(sent.id, { status: 'failed' });
    const got = await receiver.next(4);
    const events = ['whatsapp.conversation.created', 'whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.failed'];
    const bodies = got.map((r) => verify(r, { secret: SECRET, event: String(r.headers['x-webhook-event']), version: 'v1' }));
    expect(got.map((r) => r.headers['x-webhook-event']).sort()).toEqual([...events].sort());
    const received = bodies.find((b) => b.message?.direction === 'inbound');
    expect(received).toEqual({
      message: {
        id: message.id, whatsapp_message_id: message.whatsapp_message_id, phone_number: NEWCOMER, message_type: 'text', content: 'Hola',
        direction: 'inbound', status: 'received', processing_status: 'processed', origin: 'cloud_api', has_media: false,
        message_type_data: { text: 'Hola' }, metadata: expect.any(Object), created_at: T0, updated_at: T0,
      },
      conversation: {
        id: message.conversation_id ?? expect.any(String), phone_number: NEWCOMER, status: 'active', last_active_at: T0, created_at: T0, updated_at: T0,
        metadata: {}, whatsapp_config_id: ids.acmeSupport, contact_name: null,
      },
      whatsapp_config: { id: ids.acmeSupport, name: 'Acme Support', phone_number_id: SUPPORT_PHONE_ID, business_account_id: expect.any(String) },
      is_new_conversation: true,
    });
    const failed = bodies.find((b) => b.message?.status === 'failed');
    expect(failed.message.error).toMatchObject({ code: 131026, title: 'Message undeliverable' });
  });

  it('an inactive webhook and a webhook that does not subscribe to the event get nothing', async () => {
    await webhook({ active: false, events: ['whatsapp.message.received', 'whatsapp.message.sent'] });
    const picky = await webhook({ events: ['whatsapp.message.sent'] });
    // The seeded (inactive) webhook of the config subscribes to everything too.
    await inbound({ content: 'Anyone there?' });
    const sent = await send('Yes!');
    const [only] = await receiver.next(1);
    expect(verify(only!, { secret: SECRET, event: 'whatsapp.message.sent' }).message.id).toBe(sent.whatsapp_message_id);
    // Everything made was made in the transactions above: one delivery, to the subscribed webhook.
    expect((await deliveries.list()).map((d) => [d.webhook_id, d.event])).toEqual([[picky.id, 'whatsapp.message.sent']]);
    // Another config's events go to that config's webhooks only.
    await inbound({ whatsapp_config_id: ids.acmeSales, content: 'Sales?' });
    expect(await deliveries.list()).toHaveLength(1);
  });
});

describe('retries on the mock\'s clock', () => {
  it('a failure is retried 10 s, 40 s and 90 s later with the same body, signature and idempotency key; then it is delivered', async () => {
    receiver.answers = [500, { status: 503, body: 'busy' }, 'drop'];
    const w = await webhook();
    await inbound({});
    await receiver.next(1);
    const [first] = await deliveries.wait({ webhook_id: w.id, count: 1 });
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 1);
    let [d] = await deliveries.list({ webhook_id: w.id });
    expect(d).toMatchObject({ status: 'pending', attempt_count: 1, next_attempt_at: at(10_000), error: 'HTTP 500' });

    clock.advance(9_999);
    [d] = await deliveries.list({ webhook_id: w.id });
    expect(d).toMatchObject({ attempt_count: 1, next_attempt_at: at(10_000) });
    expect(receiver.received).toHaveLength(1);

    clock.advance(1);
    await receiver.next(2);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 2);
    clock.advance(40_000);
    await receiver.next(3);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 3);
    clock.advance(90_000);
    await receiver.next(4);
    [d] = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 1 });

    const requests = receiver.received;
    expect(new Set(requests.map((r) => r.headers['x-idempotency-key'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.headers['x-webhook-signature'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.raw.toString('utf8'))).size).toBe(1);
    expect(requests[0]!.headers['x-idempotency-key']).toBe(first.idempotency_key);
    expect(d).toMatchObject({ status: 'delivered', attempt_count: 4, delivered_at: at(140_000), next_attempt_at: null, error: null });
    expect(d.attempts.map((a: any) => [a.at, a.status, a.error === null ? null : a.error.split(':')[0], a.response_body])).toEqual([
      [T0, 500, null, 'Nope'],
      [at(10_000), 503, null, 'busy'],
      [at(50_000), null, expect.stringMatching(/^(ECONNRESET|socket hang up|UND_ERR_SOCKET)/), null],
      [at(140_000), 200, null, 'OK'],
    ]);
  });

  it('after the last retry the delivery is failed; a refused connection fails the same way', async () => {
    const closed = await startReceiver();
    const url = closed.url();
    await closed.close();
    const w = await webhook({ url });
    await inbound({});
    for (const [n, ms] of [[1, 10_000], [2, 40_000], [3, 90_000]] as const) {
      await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === n);
      clock.advance(ms);
    }
    const [d] = await deliveries.wait({ webhook_id: w.id, status: 'failed', count: 1 });
    expect(d).toMatchObject({ status: 'failed', attempt_count: 4, failed_at: at(140_000), next_attempt_at: null, delivered_at: null });
    expect(d.error).toMatch(/^ECONNREFUSED: .* \(gave up after 4 attempts\)$/);
    expect(d.attempts.map((a: any) => [a.at, a.status])).toEqual([[T0, null], [at(10_000), null], [at(50_000), null], [at(140_000), null]]);
  });

  it('the delays are settings: [] means no retry at all', async () => {
    expect((await admin.patch('/__admin/settings', { webhook_retry_delays_ms: [] })).status).toBe(200);
    receiver.otherwise = 500;
    const w = await webhook();
    await inbound({});
    const [d] = await deliveries.wait({ webhook_id: w.id, status: 'failed', count: 1 });
    expect(d).toMatchObject({ attempt_count: 1, error: 'HTTP 500 (gave up after 1 attempt)' });
  });

  it('the request timeout is real time: a hanging receiver fails the attempt while the frozen clock stands still', async () => {
    expect((await admin.patch('/__admin/settings', { webhook_timeout_ms: 150 })).status).toBe(200);
    receiver.answers = ['hang'];
    const w = await webhook();
    await inbound({});
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 1);
    const [d] = await deliveries.list({ webhook_id: w.id });
    expect(d).toMatchObject({ status: 'pending', next_attempt_at: at(10_000), error: 'timed out after 150 ms' });
    expect(d.attempts[0]).toMatchObject({ at: T0, status: null, error: 'timed out after 150 ms' });
  });

  it('no API call waits for a receiver: the answer comes while the receiver still holds the delivery', async () => {
    receiver.answers = ['hang'];
    await webhook({ events: ['whatsapp.message.sent'] });
    const first = await send('one');
    await receiver.next(1);
    clock.advance(1000);
    // The receiver has not answered; the API goes on answering at once.
    const second = await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'two' } });
    expect(second.status).toBe(201);
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`)).body.data.map((m: any) => m.id).slice(0, 2)).toEqual([second.body.data.id, first.id]);
  });
});

describe('order per conversation', () => {
  it('an event waits until its conversation\'s earlier one was delivered', async () => {
    receiver.answers = [500];
    const w = await webhook();
    const one = await inbound({ content: 'one' });
    const two = await inbound({ content: 'two' });
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id })).find((d) => d.payload.message.text.body === 'one').attempt_count === 1);
    // The second waits for the first (at most 30 s after it was made).
    const waiting = (await deliveries.list({ webhook_id: w.id })).find((d) => d.payload.message.text.body === 'two');
    expect(waiting).toMatchObject({ attempt_count: 0, next_attempt_at: at(30_000) });
    expect(receiver.received).toHaveLength(1);

    clock.advance(10_000);
    const got = await receiver.next(3);
    expect(got.map((r) => r.body.message.id)).toEqual([one.message.whatsapp_message_id, one.message.whatsapp_message_id, two.message.whatsapp_message_id]);
    await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 2 });
  });

  it('a queue behind a failed event goes in order once it is delivered, each event released by the one before', async () => {
    receiver.answers = [500];
    const w = await webhook();
    const sent = [];
    for (const content of ['one', 'two', 'three', 'four', 'five', 'six']) sent.push((await inbound({ content })).message.whatsapp_message_id);
    await receiver.next(1);
    // The first is due again at 10 s, the five behind it wait for it (30 s at most).
    const waiting = [at(10_000), ...Array(5).fill(at(30_000))];
    await waitUntil(async () => JSON.stringify((await deliveries.list({ webhook_id: w.id, status: 'pending' })).map((d) => d.next_attempt_at).sort()) === JSON.stringify(waiting));

    // The retry is delivered at 10 s; the clock stays there, so nothing goes by its 30 s deadline.
    clock.advance(10_000);
    const got = await receiver.next(7);
    expect(got.map((r) => r.body.message.id)).toEqual([sent[0], ...sent]);
    const done = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 6 });
    expect(done.every((d) => d.delivered_at === at(10_000))).toBe(true);
  });

  it('waits 30 s at most: then it goes, even while the earlier one is still being retried', async () => {
    receiver.answers = [500, 500];
    const w = await webhook();
    const one = await inbound({ content: 'one' });
    const two = await inbound({ content: 'two' });
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id })).some((d) => d.attempt_count === 1));
    clock.advance(10_000);
    await receiver.next(2);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id })).find((d) => d.payload.message.text.body === 'one').attempt_count === 2);
    clock.advance(20_000);
    const got = await receiver.next(3);
    expect(got.map((r) => r.body.message.id)).toEqual([one.message.whatsapp_message_id, one.message.whatsapp_message_id, two.message.whatsapp_message_id]);
    const first = (await deliveries.list({ webhook_id: w.id })).find((d) => d.payload.message.text.body === 'one');
    expect(first).toMatchObject({ status: 'pending', next_attempt_at: at(50_000) });
  });

  it('other conversations do not wait', async () => {
    receiver.answers = ['hang'];
    await webhook();
    await inbound({ content: 'Maria' });
    await receiver.next(1);
    const other = await inbound({ phone_number: NEWCOMER, content: 'Someone else' });
    const [, second] = await receiver.next(2);
    expect(second!.body.message.id).toBe(other.message.whatsapp_message_id);
  });
});

describe('buffering', () => {
  it('a conversation\'s received messages go as one batch when the window closes (debounced), with the batch headers', async () => {
    const w = await webhook({ buffer_enabled: true, buffer_window_seconds: 5, max_buffer_size: 10 });
    const one = await inbound({ content: 'one' });
    clock.advance(3_000);
    const two = await inbound({ content: 'two' });
    // The window starts again with each message: nothing goes 5 s after the first.
    clock.advance(4_999);
    const [open] = await deliveries.list({ webhook_id: w.id });
    expect(open).toMatchObject({ status: 'pending', batch: { size: 2, window_ms: 5000, open: true }, next_attempt_at: at(8_000), attempt_count: 0 });
    expect(open.payload.data).toHaveLength(2);
    expect(receiver.received).toHaveLength(0);

    clock.advance(1);
    const [batch] = await receiver.next(1);
    const body = verify(batch!, { secret: SECRET, event: 'whatsapp.message.received', batch: 2 });
    expect(body.type).toBe('whatsapp.message.received');
    expect(body.batch).toBe(true);
    expect(body.data.map((p: any) => p.message.id)).toEqual([one.message.whatsapp_message_id, two.message.whatsapp_message_id]);
    expect(body.batch_info).toEqual({ size: 2, window_ms: 5000, first_sequence: expect.any(Number), last_sequence: expect.any(Number), conversation_id: inbox.mariaOpen });
    expect(body.batch_info.last_sequence).toBeGreaterThan(body.batch_info.first_sequence);
    const [sent] = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 1 });
    expect(sent).toMatchObject({ batch: { size: 2, window_ms: 5000, open: false }, headers: { 'X-Webhook-Batch': 'true', 'X-Batch-Size': '2' } });
  });

  it('even a single message goes as a batch; a full batch goes at once; other events are not buffered', async () => {
    await webhook({ buffer_enabled: true, buffer_window_seconds: 60, max_buffer_size: 3, events: ['whatsapp.message.received', 'whatsapp.message.sent'] });
    await inbound({ content: 'a' });
    await inbound({ content: 'b' });
    await inbound({ content: 'c' });
    const [full] = await receiver.next(1);
    expect(verify(full!, { secret: SECRET, event: 'whatsapp.message.received', batch: 3 }).data.map((p: any) => p.message.text.body)).toEqual(['a', 'b', 'c']);
    await send('not buffered');
    await inbound({ content: 'alone' });
    const [, sent] = await receiver.next(2);
    verify(sent!, { secret: SECRET, event: 'whatsapp.message.sent' });
    clock.advance(60_000);
    const [, , alone] = await receiver.next(3);
    expect(verify(alone!, { secret: SECRET, event: 'whatsapp.message.received', batch: 1 }).data).toHaveLength(1);
  });

  it('each conversation has its own buffer', async () => {
    await webhook({ buffer_enabled: true, buffer_window_seconds: 2 });
    await inbound({ content: 'Maria' });
    await inbound({ phone_number: NEWCOMER, content: 'Newcomer' });
    clock.advance(2_000);
    const got = await receiver.next(2);
    const sizes = got.map((r) => verify(r, { secret: SECRET, event: 'whatsapp.message.received', batch: 1 }).batch_info.conversation_id);
    expect(new Set(sizes).size).toBe(2);
  });

  it('a batch that fails every retry falls back to single deliveries of its events', async () => {
    receiver.answers = [500, 500, 500, 500];
    const w = await webhook({ buffer_enabled: true, buffer_window_seconds: 1 });
    const one = await inbound({ content: 'one' });
    const two = await inbound({ content: 'two' });
    clock.advance(1_000);
    for (const [n, ms] of [[1, 10_000], [2, 40_000], [3, 90_000]] as const) {
      await receiver.next(n);
      await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0]?.attempt_count === n);
      clock.advance(ms);
    }
    const got = await receiver.next(6);
    for (const r of got.slice(0, 4)) expect(r.headers['x-webhook-batch']).toBe('true');
    const singles = got.slice(4).map((r) => verify(r, { secret: SECRET, event: 'whatsapp.message.received' }));
    expect(singles.map((b) => b.message.id)).toEqual([one.message.whatsapp_message_id, two.message.whatsapp_message_id]);
    expect(got[4]!.headers['x-idempotency-key']).not.toBe(got[0]!.headers['x-idempotency-key']);
    const list = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 2 });
    const batch = (await deliveries.list({ webhook_id: w.id, status: 'failed' }))[0];
    expect(batch).toMatchObject({ batch: { size: 2, open: false }, attempt_count: 4 });
    expect(list.map((d) => [d.origin, d.fallback_of])).toEqual([['fallback', batch.id], ['fallback', batch.id]]);
  });
});

describe('whatsapp.conversation.inactive', () => {
  it('fires once per quiet spell, inactivity_minutes after the last message, on the mock\'s clock', async () => {
    const w = await webhook({ events: ['whatsapp.conversation.inactive'], inactivity_minutes: 30 });
    const maria = { webhook_id: w.id, conversation_id: inbox.mariaOpen };
    const { message } = await inbound({ content: 'Are you there?' });
    clock.advance(30 * 60_000 - 1);
    expect(await deliveries.list(maria)).toEqual([]);
    clock.advance(1);
    const [d] = await deliveries.wait({ ...maria, status: 'delivered', count: 1 });
    const body = verify(receiver.received.find((r) => r.headers['x-idempotency-key'] === d.idempotency_key)!, { secret: SECRET, event: 'whatsapp.conversation.inactive' });
    expect(body.since_message).toEqual({ id: message.id, whatsapp_message_id: message.whatsapp_message_id, direction: 'inbound', created_at: T0 });
    expect(body.inactivity).toEqual({ minutes: 30 });
    expect(body.conversation).toMatchObject({ id: inbox.mariaOpen, status: 'active', last_active_at: T0 });
    // Once per spell: nothing more while it stays quiet.
    clock.advance(2 * 60 * 60_000);
    expect(await deliveries.list(maria)).toHaveLength(1);
    // A reply starts a new spell.
    const reply = await send('Yes, how can I help?');
    clock.advance(30 * 60_000);
    const [again] = await deliveries.wait({ ...maria, status: 'delivered', count: 2 });
    expect(again.payload.since_message).toMatchObject({ whatsapp_message_id: reply.whatsapp_message_id, direction: 'outbound' });
    expect(again.created_at).toBe(at(3 * 60 * 60_000));
  });

  it('a conversation quiet for part of its spell when the webhook is made is watched for the rest of it', async () => {
    // Seeded: a conversation on Acme Support whose last message was 10 minutes before the fixtures loaded.
    const quiet = seed.find('whatsappConversations', (r) => r.whatsapp_config_id === ids.acmeSupport && r.ago === 10 * 60_000).id;
    const w = await webhook({ events: ['whatsapp.conversation.inactive'], inactivity_minutes: 30 });
    clock.advance(20 * 60_000);
    const [d] = await deliveries.wait({ webhook_id: w.id, count: 1 });
    expect(d).toMatchObject({ conversation_id: quiet, created_at: at(20 * 60_000) });
  });

  it('each webhook counts its own minutes; an ended conversation never goes inactive; v1 has its own shape', async () => {
    const five = await webhook({ events: ['whatsapp.conversation.inactive'], inactivity_minutes: 5, payload_version: 'v1' });
    const thirty = await webhook({ events: ['whatsapp.conversation.inactive'], inactivity_minutes: 30 });
    await inbound({ content: 'hello' });
    await inbound({ phone_number: NEWCOMER, content: 'bye' });
    const newcomer = (await api.get('/api/v1/whatsapp_conversations?q[phone_number_eq]=15550199999')).body.data[0].id;
    expect((await admin.post(`/__admin/conversations/${newcomer}/end`, {})).status).toBe(200);
    clock.advance(5 * 60_000);
    const v1 = verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.conversation.inactive', version: 'v1' });
    expect(v1).toMatchObject({ conversation: { id: inbox.mariaOpen }, whatsapp_config: { id: ids.acmeSupport }, inactivity: { minutes: 5 } });
    clock.advance(25 * 60_000);
    const all = await deliveries.wait({ event: 'whatsapp.conversation.inactive', conversation_id: inbox.mariaOpen, count: 2 });
    expect(all.map((d) => [d.webhook_id, d.created_at])).toEqual([[thirty.id, at(30 * 60_000)], [five.id, at(5 * 60_000)]]);
    expect(await deliveries.list({ conversation_id: newcomer })).toEqual([]);
  });

  it('a webhook created during a quiet spell watches it; one already longer than its minutes does not fire', async () => {
    await inbound({ content: 'before the webhook' });
    clock.advance(10 * 60_000);
    const w = await webhook({ events: ['whatsapp.conversation.inactive'], inactivity_minutes: 15 });
    // James's conversation has been quiet for hours: that spell began before the webhook could watch it.
    clock.advance(5 * 60_000);
    const [d] = await deliveries.wait({ webhook_id: w.id, count: 1 });
    expect(d.conversation_id).toBe(inbox.mariaOpen);
    clock.advance(60 * 60_000);
    expect(await deliveries.list({ webhook_id: w.id })).toHaveLength(1);
  });
});

describe('faults for receivers', () => {
  it('webhook_duplicate_rate 1 sends every delivered webhook twice, byte for byte', async () => {
    await admin.patch('/__admin/settings', { webhook_duplicate_rate: 1 });
    const w = await webhook();
    await inbound({});
    const [a, b] = await receiver.next(2);
    expect(b!.raw.equals(a!.raw)).toBe(true);
    expect(b!.headers['x-idempotency-key']).toBe(a!.headers['x-idempotency-key']);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempts.length === 2);
    const [d] = await deliveries.list({ webhook_id: w.id });
    expect(d).toMatchObject({ status: 'delivered', attempt_count: 1 });
    expect(d.attempts[1]).toMatchObject({ status: 200, duplicate: true });
  });

  it('webhook_delay_ms holds every new delivery that long on the mock\'s clock', async () => {
    await admin.patch('/__admin/settings', { webhook_delay_ms: 3_000 });
    const w = await webhook();
    await inbound({});
    expect((await deliveries.list({ webhook_id: w.id }))[0]).toMatchObject({ next_attempt_at: at(3_000), attempt_count: 0 });
    clock.advance(3_000);
    verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.received' });
  });

  it('webhook_hosts keeps deliveries on the listed hosts: another host fails without a connection', async () => {
    await admin.patch('/__admin/settings', { webhook_hosts: ['localhost'], webhook_retry_delays_ms: [] });
    const w = await webhook();
    await inbound({});
    const [d] = await deliveries.wait({ webhook_id: w.id, status: 'failed', count: 1 });
    expect(d.error).toBe('host 127.0.0.1 is not in webhook_hosts (KAPSO_MOCK_WEBHOOK_HOSTS) (gave up after 1 attempt)');
    expect(receiver.received).toHaveLength(0);
  });
});

describe('a webhook\'s life', () => {
  it('a delivery keeps the URL and secret of its moment; deleting the webhook cancels what it still had pending', async () => {
    receiver.otherwise = 500;
    const w = await webhook();
    await inbound({ content: 'first' });
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 1);
    await api.patch(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks/${w.id}`, { whatsapp_webhook: { secret_key: 'rotated' } });
    clock.advance(10_000);
    const [, retry] = await receiver.next(2);
    expect(retry!.headers['x-webhook-signature']).toBe(hmac(SECRET, retry!.raw));
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 2);
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks/${w.id}`)).status).toBe(204);
    const [d] = await deliveries.list({ webhook_id: w.id });
    expect(d).toMatchObject({ status: 'failed', failed_at: at(10_000), error: 'cancelled: the webhook was deleted', attempt_count: 2 });
    clock.advance(60_000);
    expect(receiver.received).toHaveLength(2);
  });

  it('deleting the config cancels its webhooks\' pending deliveries; batches still collecting too', async () => {
    receiver.otherwise = 500;
    const w = await webhook({ events: ['whatsapp.message.received', 'whatsapp.message.sent'] });
    const buffered = await webhook({ buffer_enabled: true, buffer_window_seconds: 60 });
    await inbound({});
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id }))[0].attempt_count === 1);
    expect((await api.delete(`/api/v1/whatsapp_configs/${ids.acmeSupport}`)).status).toBe(204);
    const cancelled = await deliveries.list();
    expect(cancelled.map((d) => [d.webhook_id, d.status, d.error])).toEqual([
      [buffered.id, 'failed', 'cancelled: the webhook is gone'],
      [w.id, 'failed', 'cancelled: the webhook is gone'],
    ]);
    clock.advance(120_000);
    expect(receiver.received).toHaveLength(1);
  });

  it('a reset clears the deliveries and ends sends in flight', async () => {
    receiver.answers = ['hang'];
    await webhook();
    await inbound({});
    await receiver.next(1);
    expect(await deliveries.list()).toHaveLength(1);
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect(await deliveries.list()).toEqual([]);
    expect(app.webhooks.worker.inFlight).toBe(0);
  });
});

/** Polls until `check` holds (the worker records an outcome a moment after the receiver answered). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
