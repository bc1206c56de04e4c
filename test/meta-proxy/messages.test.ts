// Messages through the official SDK: every type it sends, media by link and by uploaded ID,
// mark-as-read, the 24-hour window and the other refusals as GraphApiError, the message history
// with its filters, cursors and `fields=kapso(...)`, and the same rows through /api/v1.
import { describe, expect, it } from 'vitest';
import { inbox } from '../helpers/inbox.js';
import { DEMO_KEY, expectSdkError, http, proxy, sdkFailure, useMock, V } from './helpers.js';

const ctx = useMock();
const MARIA = '15550102030';
const PRIYA = '15550107788';
const phoneNumberId = proxy.acmePhone;

/** /api/v1 through the listening mock. */
async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(`${ctx.mock.origin}/api/v1${path}`, {
    method, headers: { 'x-api-key': DEMO_KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** The message the proxy shows for a wamid, with every kapso field. */
const shown = (id: string) => ctx.sdk.messages.get({ phoneNumberId, messageId: id, fields: 'kapso(*)' }) as Promise<any>;

describe('sending every type the SDK sends', () => {
  it('text: answers Meta\'s send response and stores the message in Maria\'s conversation', async () => {
    const res = await ctx.sdk.messages.sendText({ phoneNumberId, to: '+1 (555) 010-2030', body: 'Your order has shipped' });
    expect(res.messagingProduct).toBe('whatsapp');
    expect(res.contacts).toEqual([{ input: '+1 (555) 010-2030', waId: MARIA }]);
    expect(res.messages[0]!.id).toMatch(/^wamid\.[A-Za-z0-9_=-]+$/);
    const message = await shown(res.messages[0]!.id);
    expect(message).toMatchObject({
      id: res.messages[0]!.id, type: 'text', to: MARIA, text: { body: 'Your order has shipped' },
      kapso: { direction: 'outbound', status: 'sent', processingStatus: 'completed', phoneNumber: `+${MARIA}`, hasMedia: false, contactName: 'Maria Gonzalez', content: 'Your order has shipped' },
    });
  });

  it.each([
    ['image', () => ctx.sdk.messages.sendImage({ phoneNumberId, to: MARIA, image: { link: 'https://cdn.example.com/label.png', caption: 'Your label' } }), { image: { link: 'https://cdn.example.com/label.png', caption: 'Your label' } }],
    ['video', () => ctx.sdk.messages.sendVideo({ phoneNumberId, to: MARIA, video: { link: 'https://cdn.example.com/unboxing.mp4' } }), { video: { link: 'https://cdn.example.com/unboxing.mp4' } }],
    ['audio', () => ctx.sdk.messages.sendAudio({ phoneNumberId, to: MARIA, audio: { link: 'https://cdn.example.com/note.ogg' } }), { audio: { link: 'https://cdn.example.com/note.ogg' } }],
    ['document', () => ctx.sdk.messages.sendDocument({ phoneNumberId, to: MARIA, document: { link: 'https://cdn.example.com/invoice.pdf', filename: 'invoice-1042.pdf' } }), { document: { link: 'https://cdn.example.com/invoice.pdf', filename: 'invoice-1042.pdf' } }],
    ['sticker', () => ctx.sdk.messages.sendSticker({ phoneNumberId, to: MARIA, sticker: { link: 'https://cdn.example.com/thanks.webp' } }), { sticker: { link: 'https://cdn.example.com/thanks.webp' } }],
    ['location', () => ctx.sdk.messages.sendLocation({ phoneNumberId, to: MARIA, location: { latitude: 40.7128, longitude: -74.006, name: 'Acme Store', address: '1 Main St' } }), { location: { latitude: 40.7128, longitude: -74.006, name: 'Acme Store', address: '1 Main St' } }],
    ['contacts', () => ctx.sdk.messages.sendContacts({ phoneNumberId, to: MARIA, contacts: [{ name: { formattedName: 'Acme Help Desk', firstName: 'Acme' }, phones: [{ phone: '+15550100000', type: 'WORK' }] }] }), { contacts: [{ name: { formattedName: 'Acme Help Desk', firstName: 'Acme' }, phones: [{ phone: '+15550100000', type: 'WORK' }] }] }],
  ] as const)('%s', async (type, send, expected) => {
    const res = await send();
    const message = await shown(res.messages[0]!.id);
    expect(message).toMatchObject({ type, to: MARIA, ...expected, kapso: { direction: 'outbound', status: 'sent' } });
  });

  it.each([
    ['buttons', () => ctx.sdk.messages.sendInteractiveButtons({
      phoneNumberId, to: MARIA, bodyText: 'Was this helpful?', buttons: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }],
    }), { type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } }, 'Was this helpful?'],
    ['list', () => ctx.sdk.messages.sendInteractiveList({
      phoneNumberId, to: MARIA, bodyText: 'Pick a delivery slot', buttonText: 'Slots',
      sections: [{ title: 'Tomorrow', rows: [{ id: 'am', title: 'Morning' }, { id: 'pm', title: 'Afternoon', description: '12-6pm' }] }],
    }), { type: 'list', action: { button: 'Slots' } }, 'Pick a delivery slot'],
    ['CTA URL', () => ctx.sdk.messages.sendInteractiveCtaUrl({
      phoneNumberId, to: MARIA, bodyText: 'Track your parcel', parameters: { displayText: 'Track', url: 'https://acme.example.com/track/1042' },
    }), { type: 'cta_url', action: { name: 'cta_url', parameters: { displayText: 'Track', url: 'https://acme.example.com/track/1042' } } }, 'Track your parcel'],
    ['flow', () => ctx.sdk.messages.sendInteractiveFlow({
      phoneNumberId, to: MARIA, bodyText: 'Book a return', parameters: { flowId: proxy.flows.booking, flowCta: 'Book', flowAction: 'navigate', flowActionPayload: { screen: 'WELCOME' } },
    }), { type: 'flow', action: { name: 'flow' } }, 'Book a return'],
    ['location request', () => ctx.sdk.messages.sendInteractiveLocationRequest({
      phoneNumberId, to: MARIA, bodyText: 'Where should we deliver?', parameters: { requestMessage: 'Share your location' },
    }), { type: 'location_request_message', action: { name: 'send_location' } }, 'Where should we deliver?'],
  ] as const)('interactive %s: kept as sent, shown in kapso.message_type_data', async (_name, send, data, content) => {
    const res = await send();
    const message = await shown(res.messages[0]!.id);
    expect(message.type).toBe('interactive');
    expect(message.interactive).toBeUndefined();
    expect(message.kapso).toMatchObject({ direction: 'outbound', content, messageTypeData: data });
  });

  it('template with components: filled from the approved template, accepted, and needs no open window', async () => {
    const res = await ctx.sdk.messages.sendTemplate({
      phoneNumberId: proxy.globexPhone, to: PRIYA,
      template: {
        name: 'order_confirmation_missing', language: { code: 'en_US' },
      },
    }).catch((e: unknown) => e);
    expectSdkError(res as any, { httpStatus: 404, code: 132001, message: /^\(#132001\) Template name does not exist/, category: 'template' });

    const sent = await ctx.sdk.messages.sendTemplate({
      phoneNumberId, to: MARIA,
      template: {
        name: 'order_confirmation', language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: 'ORD-1042' }] }],
      },
    });
    expect(sent.messages[0]!.messageStatus).toBe('accepted');
    const message = await shown(sent.messages[0]!.id);
    expect(message).toMatchObject({ type: 'template', template: { name: 'order_confirmation', language: { code: 'en_US' } } });
    expect(message.kapso.content).toContain('Hi Maria, your order ORD-1042 has been confirmed');
  });

  it('a template with the wrong number of parameters is refused (132000) and nothing is stored', async () => {
    const before = (await ctx.sdk.messages.query({ phoneNumberId, limit: 100 })).data.length;
    const err = await sdkFailure(ctx.sdk.messages.sendTemplate({
      phoneNumberId, to: MARIA, template: { name: 'order_confirmation', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }] }] },
    }));
    expectSdkError(err, { httpStatus: 400, code: 132000, message: /Template requires 2 parameters, but 1 were provided/, category: 'template' });
    expect((await ctx.sdk.messages.query({ phoneNumberId, limit: 100 })).data.length).toBe(before);
  });

  it('reaction: to a message of the conversation, by its wamid', async () => {
    const target = await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Thanks!' });
    const res = await ctx.sdk.messages.sendReaction({ phoneNumberId, to: MARIA, reaction: { messageId: target.messages[0]!.id, emoji: '👍' } });
    expect(await shown(res.messages[0]!.id)).toMatchObject({ type: 'reaction', reaction: { messageId: target.messages[0]!.id, emoji: '👍' } });
    const err = await sdkFailure(ctx.sdk.messages.sendReaction({ phoneNumberId, to: MARIA, reaction: { messageId: 'wamid.nothing', emoji: '👍' } }));
    expectSdkError(err, { httpStatus: 400, code: 100, message: '(#100) reacted_to_message_id must be a message of this conversation', category: 'parameter' });
  });

  it('uploaded media is sent by ID, and its kapso media_data links to the bytes', async () => {
    const upload = await ctx.sdk.media.upload({ phoneNumberId, type: 'image/png', file: new Blob([Buffer.from('PNGDATA')], { type: 'image/png' }), fileName: 'label.png' });
    const res = await ctx.sdk.messages.sendImage({ phoneNumberId, to: MARIA, image: { id: upload.id, caption: 'Label' } });
    const message = await shown(res.messages[0]!.id);
    expect(message.image).toEqual({ id: upload.id, caption: 'Label' });
    expect(message.kapso).toMatchObject({ hasMedia: true, mediaData: { contentType: 'image/png', byteSize: 7, filename: 'label.png' } });
    const bytes = await fetch(message.kapso.mediaUrl);
    expect(bytes.status).toBe(200);
    expect(Buffer.from(await bytes.arrayBuffer()).toString()).toBe('PNGDATA');
    const err = await sdkFailure(ctx.sdk.messages.sendImage({ phoneNumberId, to: MARIA, image: { id: '7100000000000000' } }));
    expectSdkError(err, { httpStatus: 400, code: 100, message: /^\(#100\) image\.id 7100000000000000 is not a media ID of this project/, category: 'parameter' });
  });
});

describe('the 24-hour window', () => {
  it('a free-form message to a number whose window closed is 131047 with HTTP 422, and nothing is stored', async () => {
    const before = (await ctx.sdk.messages.query({ phoneNumberId: proxy.globexPhone, limit: 100 })).data.length;
    const err = await sdkFailure(ctx.sdk.messages.sendText({ phoneNumberId: proxy.globexPhone, to: PRIYA, body: 'Still there?' }));
    expectSdkError(err, { httpStatus: 422, code: 131047, subcode: 131047, type: 'MessageError', message: 'Cannot send non-template messages outside the 24-hour window.', category: 'reengagementWindow' });
    expect((await ctx.sdk.messages.query({ phoneNumberId: proxy.globexPhone, limit: 100 })).data.length).toBe(before);
  });

  it('closes 24 hours after the last inbound message, on the mock\'s clock', async () => {
    await ctx.mock.admin.setClock({ advance_ms: 25 * 3_600_000 });
    const err = await sdkFailure(ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Hello?' }));
    expect(err.code).toBe(131047);
  });
});

describe('mark as read', () => {
  it('marks an inbound message read (with the typing indicator), seen through /api/v1 too', async () => {
    const inbound = (await ctx.sdk.messages.query({ phoneNumberId, direction: 'inbound', limit: 1 })).data[0]! as any;
    expect(inbound.kapso.status).toBe('delivered');
    expect(await ctx.sdk.messages.markRead({ phoneNumberId, messageId: inbound.id, typingIndicator: { type: 'text' } })).toMatchObject({ success: true, messages: [{ id: inbound.id }] });
    expect((await shown(inbound.id)).kapso.status).toBe('read');
    const page = await api('GET', `/whatsapp_conversations/${inbound.kapso.whatsappConversationId}/whatsapp_messages?per_page=100`);
    expect(page.body.data.find((m: any) => m.whatsapp_message_id === inbound.id).status).toBe('read');
  });

  it('an outbound or unknown message cannot be marked read', async () => {
    const outbound = (await ctx.sdk.messages.query({ phoneNumberId, direction: 'outbound', limit: 1 })).data[0]!;
    expectSdkError(await sdkFailure(ctx.sdk.messages.markRead({ phoneNumberId, messageId: outbound.id })), {
      httpStatus: 400, code: 100, message: '(#100) Only inbound messages can be marked as read', category: 'parameter',
    });
    expectSdkError(await sdkFailure(ctx.sdk.messages.markRead({ phoneNumberId, messageId: 'wamid.unknown' })), {
      httpStatus: 400, code: 100, message: '(#100) message_id wamid.unknown is not a message of this phone number', category: 'parameter',
    });
  });
});

describe('message history', () => {
  it('pages a number\'s messages newest first by opaque cursors, both ways', async () => {
    const all = (await ctx.sdk.messages.query({ phoneNumberId, limit: 100 })).data.map((m) => m.id);
    expect(all.length).toBeGreaterThan(4);
    const first = await ctx.sdk.messages.query({ phoneNumberId, limit: 2 });
    expect(first.data.map((m) => m.id)).toEqual(all.slice(0, 2));
    expect(first.paging.cursors.before).toBeUndefined();
    const second = await ctx.sdk.messages.query({ phoneNumberId, limit: 2, after: first.paging.cursors.after! });
    expect(second.data.map((m) => m.id)).toEqual(all.slice(2, 4));
    const back = await ctx.sdk.messages.query({ phoneNumberId, limit: 2, before: second.paging.cursors.before! });
    expect(back.data.map((m) => m.id)).toEqual(all.slice(0, 2));
    // A message sent meanwhile does not shift the next page.
    await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'New one' });
    const again = await ctx.sdk.messages.query({ phoneNumberId, limit: 2, after: first.paging.cursors.after! });
    expect(again.data.map((m) => m.id)).toEqual(all.slice(2, 4));
  });

  it('filters by direction, status, conversation and time', async () => {
    const all = (await ctx.sdk.messages.query({ phoneNumberId, limit: 100, fields: 'kapso(direction,status,whatsapp_conversation_id)' })).data as any[];
    const inbound = (await ctx.sdk.messages.query({ phoneNumberId, direction: 'inbound', limit: 100 })).data.map((m) => m.id);
    expect(inbound).toEqual(all.filter((m) => m.kapso.direction === 'inbound').map((m) => m.id));
    const read = (await ctx.sdk.messages.query({ phoneNumberId, status: 'read', limit: 100 })).data.map((m) => m.id);
    expect(read).toEqual(all.filter((m) => m.kapso.status === 'read').map((m) => m.id));
    const conversation = all[0].kapso.whatsappConversationId;
    const inConversation = (await ctx.sdk.messages.listByConversation({ phoneNumberId, conversationId: conversation, limit: 100 })).data.map((m) => m.id);
    expect(inConversation).toEqual(all.filter((m) => m.kapso.whatsappConversationId === conversation).map((m) => m.id));
    const times = all.map((m) => Number(m.timestamp));
    const middle = new Date(times[Math.floor(times.length / 2)]! * 1000).toISOString();
    const since = (await ctx.sdk.messages.query({ phoneNumberId, since: middle, limit: 100 })).data.map((m) => Number(m.timestamp));
    expect(since.every((t) => t * 1000 >= Date.parse(middle))).toBe(true);
    const until = (await ctx.sdk.messages.query({ phoneNumberId, until: middle, limit: 100 })).data.map((m) => Number(m.timestamp));
    expect(until.every((t) => t * 1000 <= Date.parse(middle) + 999)).toBe(true);
    expect(since.length + until.length).toBeGreaterThanOrEqual(all.length);
  });

  it('fields: kapso() leaves the block out, kapso(*) and kapso(default) give it, a list gives those', async () => {
    const get = (fields?: string) => ctx.sdk.messages.get({ phoneNumberId, messageId: all0, ...(fields !== undefined && { fields }) }) as Promise<any>;
    const all0 = (await ctx.sdk.messages.query({ phoneNumberId, direction: 'inbound', limit: 1 })).data[0]!.id;
    expect((await get('kapso()')).kapso).toBeUndefined();
    const full = await get('kapso(*)');
    expect(Object.keys(full.kapso)).toEqual(expect.arrayContaining(['direction', 'status', 'processingStatus', 'phoneNumber', 'hasMedia', 'whatsappConversationId', 'content']));
    expect((await get('kapso(default)')).kapso).toEqual(full.kapso);
    expect((await get()).kapso).toEqual(full.kapso);
    expect((await get('kapso(direction,status)')).kapso).toEqual({ direction: 'inbound', status: full.kapso.status });
    const err = await sdkFailure(get('kapso(nope)'));
    expectSdkError(err, { httpStatus: 400, code: 100, message: '(#100) Tried accessing nonexisting field (kapso.nope) on node type (WhatsAppMessage)', category: 'parameter' });
  });

  it('an unknown wamid, or one of another number, is Kapso\'s message-not-found', async () => {
    const sent = await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Hi' });
    for (const [phone, id] of [[phoneNumberId, 'wamid.nothing'], [proxy.salesPhone, sent.messages[0]!.id]] as const) {
      const res = await http(ctx.mock, 'GET', `${V}/${phone}/messages/${id}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ message: 'Message not found', type: 'MessageError', code: 404 });
    }
  });
});

describe('one state with /api/v1', () => {
  it('a message sent through the SDK is in the conversation\'s /api/v1 messages, with the same wamid', async () => {
    const res = await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Sent through the proxy' });
    const message = await shown(res.messages[0]!.id);
    const page = await api('GET', `/whatsapp_conversations/${message.kapso.whatsappConversationId}/whatsapp_messages`);
    expect(page.body.data[0]).toMatchObject({ whatsapp_message_id: res.messages[0]!.id, content: 'Sent through the proxy', direction: 'outbound', status: 'sent', message_type: 'text' });
  });

  it('a message sent through /api/v1 and an inbound one simulated in the control plane are listed by the SDK', async () => {
    const sent = await api('POST', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'From /api/v1', message_type: 'text' } });
    expect(sent.status).toBe(201);
    const inbound = await fetch(`${ctx.mock.origin}/__admin/simulate/inbound-message`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEMO_KEY },
      body: JSON.stringify({ whatsapp_config_id: proxy.acmeSupport.id, phone_number: '+1 555 010 9900', contact_name: 'Nora Quinn', content: 'Hi, is the store open?' }),
    });
    expect(inbound.status).toBe(201);
    const page = (await ctx.sdk.messages.query({ phoneNumberId, limit: 2 })).data as any[];
    expect(page.map((m) => [m.type, m.text.body, m.kapso.direction])).toEqual([
      ['text', 'Hi, is the store open?', 'inbound'],
      ['text', 'From /api/v1', 'outbound'],
    ]);
    expect(page[0]).toMatchObject({ from: '15550109900', kapso: { contactName: 'Nora Quinn', status: 'delivered' } });
    expect(page[1].id).toBe(sent.body.data.whatsapp_message_id);
  });

  it('statuses move the same way: the control plane\'s delivered and read show on the proxy', async () => {
    const res = await ctx.sdk.messages.sendText({ phoneNumberId, to: MARIA, body: 'Tracking number: 1Z999' });
    const page = await api('GET', `/whatsapp_conversations/${(await shown(res.messages[0]!.id)).kapso.whatsappConversationId}/whatsapp_messages`);
    const id = page.body.data[0].id;
    for (const status of ['delivered', 'read']) {
      const moved = await fetch(`${ctx.mock.origin}/__admin/messages/${id}/status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status }) });
      expect(moved.status).toBe(200);
      expect((await shown(res.messages[0]!.id)).kapso.status).toBe(status);
    }
  });
});
