// Conversations, contacts and thread control through the official SDK (HTTP where it has no
// method): the same rows as /api/v1, cursor paging, the kapso block, and a shared number's
// conversation handed to another app and taken back.
import { describe, expect, it } from 'vitest';
import { inbox } from '../helpers/inbox.js';
import { DEMO_KEY, expectSdkError, http, proxy, sdkFailure, unknownObject, useMock, V } from './helpers.js';

const ctx = useMock();
const phoneNumberId = proxy.acmePhone;
const MARIA = '15550102030';

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${ctx.mock.origin}/api/v1${path}`, {
    method, headers: { 'x-api-key': DEMO_KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('conversations', () => {
  it('lists a number\'s conversations by last activity, with the kapso summary, the same as /api/v1', async () => {
    const page = await ctx.sdk.conversations.list({ phoneNumberId, limit: 100 }) as any;
    const ours = (await api('GET', `/whatsapp_conversations?q[whatsapp_config_id_eq]=${proxy.acmeSupport.id}&per_page=100`)).body.data;
    expect(page.data.map((c: any) => c.id)).toEqual(ours.map((c: any) => c.id));
    const maria = page.data.find((c: any) => c.id === inbox.mariaOpen);
    expect(maria).toMatchObject({ phoneNumber: MARIA, status: 'active', phoneNumberId, whatsappConfigId: proxy.acmeSupport.id, businessScopedUserId: null });
    expect(maria.kapso).toMatchObject({ contactName: 'Maria Gonzalez' });
    expect(maria.kapso.messagesCount).toBeGreaterThan(0);
    // Every count is the conversation's message total on /api/v1 (one maintained counter behind both).
    for (const c of page.data) {
      const total = (await api('GET', `/whatsapp_conversations/${c.id}/whatsapp_messages?per_page=1`)).body.meta.total_count;
      expect({ id: c.id, count: c.kapso.messagesCount }).toEqual({ id: c.id, count: total });
    }
    const newest = (await ctx.sdk.messages.listByConversation({ phoneNumberId, conversationId: inbox.mariaOpen, limit: 1 })).data[0]!;
    expect(maria.kapso.lastMessageId).toBe(newest.id);
  });

  it('a message sent through the SDK moves its conversation to the top and counts', async () => {
    const before = (await ctx.sdk.conversations.get({ conversationId: inbox.jamesOpen }) as any).kapso.messagesCount;
    const sent = await ctx.sdk.messages.sendText({ phoneNumberId, to: '+1 555 010 4411', body: 'Your refund is on its way' });
    const page = await ctx.sdk.conversations.list({ phoneNumberId, limit: 1 }) as any;
    expect(page.data[0]).toMatchObject({ id: inbox.jamesOpen, kapso: { messagesCount: before + 1, lastMessageId: sent.messages[0]!.id, lastMessageText: 'Your refund is on its way', lastMessageType: 'text' } });
  });

  it('pages by cursor and filters by status, number and activity', async () => {
    const all = (await ctx.sdk.conversations.list({ phoneNumberId, limit: 100 }) as any).data.map((c: any) => c.id);
    const first = await ctx.sdk.conversations.list({ phoneNumberId, limit: 1 }) as any;
    const second = await ctx.sdk.conversations.list({ phoneNumberId, limit: 1, after: first.paging.cursors.after }) as any;
    expect([...first.data, ...second.data].map((c: any) => c.id)).toEqual(all.slice(0, 2));
    const active = (await ctx.sdk.conversations.list({ phoneNumberId, status: 'active', limit: 100 }) as any).data;
    expect(active.every((c: any) => c.status === 'active')).toBe(true);
    const byNumber = (await ctx.sdk.conversations.list({ phoneNumberId, phoneNumber: '+1 (555) 010-2030', limit: 100 }) as any).data;
    expect(byNumber.map((c: any) => c.phoneNumber)).toEqual(byNumber.map(() => MARIA));
    expect(byNumber.length).toBeGreaterThan(0);
    const future = (await ctx.sdk.conversations.list({ phoneNumberId, lastActiveSince: '2099-01-01T00:00:00Z' }) as any).data;
    expect(future).toEqual([]);
    const noKapso = (await ctx.sdk.conversations.list({ phoneNumberId, fields: 'kapso()' }) as any).data;
    expect(noKapso[0].kapso).toBeUndefined();
  });

  it('gets one on the number or by ID alone; another number\'s is an unknown object', async () => {
    const onNumber = await http(ctx.mock, 'GET', `${V}/${phoneNumberId}/conversations/${inbox.mariaOpen}`);
    expect(onNumber.status).toBe(200);
    expect(onNumber.body.id).toBe(inbox.mariaOpen);
    expect(await ctx.sdk.conversations.get({ conversationId: inbox.mariaOpen })).toMatchObject({ id: inbox.mariaOpen, phoneNumber: MARIA });
    const elsewhere = await http(ctx.mock, 'GET', `${V}/${proxy.globexPhone}/conversations/${inbox.mariaOpen}`);
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body).toEqual(unknownObject('GET', inbox.mariaOpen));
    const other = await sdkFailure(ctx.other.conversations.get({ conversationId: inbox.mariaOpen }));
    expectSdkError(other, { httpStatus: 404, code: 100, subcode: 33, type: 'GraphMethodException', message: /^Unsupported get request/, category: 'parameter' });
  });

  it('the SDK ends a conversation (seen on /api/v1) and reopens it', async () => {
    const ended = await ctx.sdk.conversations.updateStatus({ conversationId: inbox.mariaOpen, status: 'ended' }) as any;
    expect(ended.status).toBe('ended');
    expect((await api('GET', `/whatsapp_conversations/${inbox.mariaOpen}`)).body.data.status).toBe('ended');
    expect((await ctx.sdk.conversations.updateStatus({ conversationId: inbox.mariaOpen, status: 'active' }) as any).status).toBe('active');
    const bad = await http(ctx.mock, 'PATCH', `${V}/conversations/${inbox.mariaOpen}`, { body: { status: 'closed' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
  });
});

describe('thread control on a shared number', () => {
  const control = (action: string, to = MARIA) => http(ctx.mock, 'POST', `${V}/${phoneNumberId}/thread_control`, { body: { messaging_product: 'whatsapp', to, action } });

  it('passed to another app, regular messages are 409 thread_not_owner, templates go, and X-Kapso-Take-Control takes it back', async () => {
    const passed = await control('pass');
    expect(passed.status).toBe(200);
    expect(passed.body).toMatchObject({ messaging_product: 'whatsapp', request_id: expect.any(String) });
    const refused = await http(ctx.mock, 'POST', `${V}/${phoneNumberId}/messages`, { body: { messaging_product: 'whatsapp', to: MARIA, type: 'text', text: { body: 'Hi' } } });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'Another app controls this conversation. Automated Service messages are blocked; templates are still allowed.', code: 'thread_not_owner', thread_error: 'thread_not_owner',
    });
    const err = await sdkFailure(ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Hi' }));
    expect({ httpStatus: err.httpStatus, message: err.message }).toEqual({ httpStatus: 409, message: refused.body.error });
    expect((await ctx.sdk.messages.sendTemplate({ phoneNumberId, to: MARIA, template: { name: 'hello_world', language: { code: 'en_US' } } })).messages).toHaveLength(1);
    const taken = await http(ctx.mock, 'POST', `${V}/${phoneNumberId}/messages`, {
      headers: { 'x-kapso-take-control': 'true' }, body: { messaging_product: 'whatsapp', to: MARIA, type: 'text', text: { body: 'Taking over' } },
    });
    expect(taken.status).toBe(200);
    expect((await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Back with Kapso' })).messages).toHaveLength(1);
  });

  it('take brings it back; a number with no active conversation is refused', async () => {
    await control('release');
    expect((await control('take')).status).toBe(200);
    expect((await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Hello again' })).messages).toHaveLength(1);
    const none = await control('take', '15550109999');
    expect(none.status).toBe(400);
    expect(none.body.error.message).toBe('(#100) 15550109999 has no active conversation on this phone number');
  });
});

describe('contacts', () => {
  it('lists the project\'s contacts by cursor, with the filters, the same as /api/v1', async () => {
    const page = await ctx.sdk.contacts.list({ phoneNumberId, limit: 100 }) as any;
    const ours = (await api('GET', '/whatsapp_contacts?per_page=100')).body.data;
    expect(page.data.map((c: any) => c.id)).toEqual(ours.map((c: any) => c.id));
    const first = await ctx.sdk.contacts.list({ phoneNumberId, limit: 2 }) as any;
    const next = await ctx.sdk.contacts.list({ phoneNumberId, limit: 2, after: first.paging.cursors.after }) as any;
    expect([...first.data, ...next.data].map((c: any) => c.id)).toEqual(page.data.slice(0, 4).map((c: any) => c.id));
    expect((await ctx.sdk.contacts.list({ phoneNumberId, waId: '+1 (555) 010-2030' }) as any).data.map((c: any) => c.id)).toEqual([inbox.maria]);
    const withCustomer = (await ctx.sdk.contacts.list({ phoneNumberId, hasCustomer: true, limit: 100 }) as any).data.map((c: any) => c.id);
    expect(withCustomer).toEqual(ours.filter((c: any) => c.customer_id !== null).map((c: any) => c.id));
    const customer = ours.find((c: any) => c.customer_id !== null).customer_id;
    expect((await ctx.sdk.contacts.list({ phoneNumberId, customerId: customer, limit: 100 }) as any).data.map((c: any) => c.id))
      .toEqual(ours.filter((c: any) => c.customer_id === customer).map((c: any) => c.id));
  });

  it('gets and updates a contact by wa_id; /api/v1 sees the new name and metadata', async () => {
    expect(await ctx.sdk.contacts.get({ phoneNumberId, waId: MARIA })).toMatchObject({ id: inbox.maria, waId: MARIA, profileName: 'Maria Gonzalez' });
    const updated = await ctx.sdk.contacts.update({ phoneNumberId, waId: MARIA, displayName: 'Maria (VIP)', metadata: { tier: 'gold' } }) as any;
    expect(updated).toMatchObject({ displayName: 'Maria (VIP)', metadata: { tier: 'gold' }, profileName: 'Maria Gonzalez' });
    expect((await api('GET', `/whatsapp_contacts/${inbox.maria}`)).body.data.metadata).toEqual({ tier: 'gold' });
    const unknown = await sdkFailure(ctx.sdk.contacts.get({ phoneNumberId, waId: '15550109999' }));
    expect(unknown.httpStatus).toBe(404);
    expect(unknown.code).toBe(100);
  });

  it('a contact who stopped marketing messages gets 422 marketing_preference_stopped for a marketing template', async () => {
    const stop = await fetch(`${ctx.mock.origin}/__admin/contacts/${MARIA}/marketing_preference`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEMO_KEY }, body: JSON.stringify({ stopped: true }),
    });
    expect(stop.status).toBe(200);
    await fetch(`${ctx.mock.origin}/__admin/templates/${inbox.summerSale}/review`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEMO_KEY }, body: JSON.stringify({ status: 'approved' }),
    });
    const template = { name: 'summer_sale', language: { code: 'en_US' }, components: [
      { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example.com/sale.png' } }] },
      { type: 'body', parameters: ['Maria', '20%', 'Sunday', 'SUMMER20'].map((text) => ({ type: 'text', text })) },
    ] };
    const res = await http(ctx.mock, 'POST', `${V}/${phoneNumberId}/marketing_messages`, { body: { messaging_product: 'whatsapp', to: MARIA, type: 'template', template } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Contact stopped marketing messages on this WhatsApp number', code: 'marketing_preference_stopped' });
    const james = await http(ctx.mock, 'POST', `${V}/${phoneNumberId}/marketing_messages`, { body: { messaging_product: 'whatsapp', to: '15550104411', type: 'template', template } });
    expect(james.status, james.raw).toBe(200);
    expect(james.body.messages[0].message_status).toBe('accepted');
  });
});
