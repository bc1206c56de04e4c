// WhatsApp messages: a conversation's messages (newest first), sending every message_type the spec
// lists with its content, message_type_data and metadata, the 24-hour window on the mock's clock,
// templates (exist, approved, the right parameters), the agent-execution 409, the send by phone
// number of the later revision and mark_as_read. A refused send stores nothing and publishes nothing.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox, named, recordEvents } from './helpers/inbox.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const HOUR = 3_600_000;
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const WAMID = /^wamid\.[A-Za-z0-9_=-]+$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const OUTSIDE = { error: 'Validation failed', message: 'Cannot send non-template messages outside the 24-hour window' };

const messagesOf = (conversationId: string) => `/api/v1/whatsapp_conversations/${conversationId}/whatsapp_messages`;
const markRead = (id: string) => `/api/v1/whatsapp_messages/${id}/mark_as_read`;

let app: FastifyInstance;
let api: Client;
let admin: Client;
let clock: Clock;

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
});

const dump = () => app.state.dump();
const send = (conversationId: string, message: Record<string, unknown>) => api.post(messagesOf(conversationId), { message });

describe('listing a conversation\'s messages', () => {
  it('newest first, paginated with meta, every message in the API shape', async () => {
    const seeded = seed.records.filter((r) => r.kind === 'whatsappMessages' && r.parentId === inbox.mariaOpen).map((r) => r.id);
    const all = await api.get(`${messagesOf(inbox.mariaOpen)}?per_page=100`);
    expect(all.status).toBe(200);
    expect(all.body.meta).toEqual({ page: 1, per_page: 100, total_pages: 1, total_count: seeded.length });
    expect(all.body.data.map((m: any) => m.id)).toEqual([...seeded].reverse());
    const times = all.body.data.map((m: any) => m.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    for (const m of all.body.data) {
      expect(m.phone_number).toBe('+15550102030');
      expect(m.whatsapp_message_id).toMatch(WAMID);
      expect(typeof m.content).toBe('string');
    }

    const page = await api.get(`${messagesOf(inbox.mariaOpen)}?per_page=3&page=2`);
    expect(page.body.meta).toEqual({ page: 2, per_page: 3, total_pages: Math.ceil(seeded.length / 3), total_count: seeded.length });
    expect(page.body.data.map((m: any) => m.id)).toEqual([...seeded].reverse().slice(3, 6));
  });

  it('the seeded messages sit relative to the moment the fixtures loaded', async () => {
    const [last] = (await api.get(messagesOf(inbox.mariaOpen))).body.data;
    expect(last).toMatchObject({ direction: 'inbound', message_type: 'interactive', content: 'Yes, please', created_at: at(-20 * 60_000) });
    expect((await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}`)).body.data.last_active_at).toBe(at(-20 * 60_000));
  });

  it.each([
    ['a missing conversation', MISSING_ID, undefined],
    ['a conversation ID that is not a UUID', 'not-a-uuid', undefined],
    ["another project's conversation", inbox.helenOpen, undefined],
    ['the Demo Project\'s conversation with the other key', inbox.mariaOpen, OTHER_KEY],
  ])('%s is 404 Conversation not found', async (_case, id, key) => {
    const res = await api.get(messagesOf(id), { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
  });
});

describe('sending into a conversation: the client flow', () => {
  it('201 with the sent message; it leads the list, the conversation moved, the events were published', async () => {
    const events = recordEvents(app);
    clock.advance(5_000);
    const res = await send(inbox.mariaOpen, { content: 'Your express delivery is booked for tomorrow morning.', message_type: 'text' });
    expect(res.status).toBe(201);
    const m = res.body.data;
    expect(m).toEqual({
      id: expect.stringMatching(UUID_V4),
      phone_number: '+15550102030',
      message_type: 'text',
      content: 'Your express delivery is booked for tomorrow morning.',
      direction: 'outbound',
      status: 'sent',
      processing_status: 'processed',
      whatsapp_message_id: expect.stringMatching(WAMID),
      metadata: { preview_url: false },
      message_type_data: { text: 'Your express delivery is booked for tomorrow morning.' },
      created_at: at(5_000),
      updated_at: at(5_000),
    });
    expect(m.whatsapp_message_id).not.toMatch(/[/+]/);

    const list = await api.get(messagesOf(inbox.mariaOpen));
    expect(list.body.data[0]).toEqual(m);
    const conversation = await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}`);
    expect(conversation.body.data.last_active_at).toBe(at(5_000));
    const conversations = await api.get('/api/v1/whatsapp_conversations');
    expect(conversations.body.data[0].id).toBe(inbox.mariaOpen);

    expect(named(events)).toEqual(['whatsapp.message.sent']);
    expect(events[0]!.data).toEqual({ message_id: m.id, conversation_id: inbox.mariaOpen, whatsapp_config_id: ids.acmeSupport });
    expect(events[0]!.project_id).toBe(ids.demoProject);
  });

  it('message_type defaults to text; every wamid is new', async () => {
    const a = await send(inbox.mariaOpen, { content: 'One' });
    const b = await send(inbox.mariaOpen, { content: 'Two' });
    expect(a.body.data.message_type).toBe('text');
    expect(a.body.data.whatsapp_message_id).not.toBe(b.body.data.whatsapp_message_id);
  });
});

describe('every message_type', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['text with a link', { message_type: 'text', content: 'Track it at https://shop.acme.example/orders/10423' }, {
      content: 'Track it at https://shop.acme.example/orders/10423', message_type_data: { text: 'Track it at https://shop.acme.example/orders/10423' },
      metadata: { preview_url: true },
    }],
    ['image by URL', { message_type: 'image', content: '', media_url: 'https://cdn.acme.example/p/blender.png', caption: 'Your blender' }, {
      content: '[Image] Your blender', media_url: 'https://cdn.acme.example/p/blender.png',
      message_type_data: { caption: 'Your blender', mime_type: 'image/png' }, metadata: { media_source: 'link' },
    }],
    ['video by media ID', { message_type: 'video', content: '', media_id: '1122334455667788' }, {
      content: '[Video]', message_type_data: { media_id: '1122334455667788', mime_type: 'video/mp4' }, metadata: { media_source: 'media_id' },
    }],
    ['audio (a caption is not sent with audio)', { message_type: 'audio', content: '', media_url: 'https://cdn.acme.example/v/hello.mp3', caption: 'x' }, {
      content: '[Audio]', media_url: 'https://cdn.acme.example/v/hello.mp3', message_type_data: { mime_type: 'audio/mpeg' },
    }],
    ['document (filename from the URL)', { message_type: 'document', content: '', media_url: 'https://cdn.acme.example/d/invoice-1042.pdf', caption: 'Invoice' }, {
      content: '[Document: invoice-1042.pdf] Invoice', media_url: 'https://cdn.acme.example/d/invoice-1042.pdf',
      message_type_data: { caption: 'Invoice', mime_type: 'application/pdf', filename: 'invoice-1042.pdf' },
    }],
    ['location', { message_type: 'location', content: '', latitude: 40.7411, longitude: -73.9897, location_name: 'Acme Flagship Store' }, {
      content: '[Location] Acme Flagship Store', message_type_data: { latitude: 40.7411, longitude: -73.9897, location_name: 'Acme Flagship Store' },
      metadata: { maps_url: 'https://maps.google.com/?q=40.7411,-73.9897' },
    }],
    ['interactive buttons', {
      message_type: 'interactive', content: '', interactive_type: 'button', body_text: 'Rate your delivery', footer_text: 'Acme',
      buttons: [{ id: 'good', title: 'Good' }, { id: 'bad', title: 'Bad' }],
    }, {
      content: 'Rate your delivery',
      message_type_data: { interactive_type: 'button', body_text: 'Rate your delivery', footer_text: 'Acme', buttons: [{ id: 'good', title: 'Good' }, { id: 'bad', title: 'Bad' }] },
      metadata: { options: [{ id: 'good', title: 'Good' }, { id: 'bad', title: 'Bad' }] },
    }],
    ['interactive list', {
      message_type: 'interactive', content: '', interactive_type: 'list', body_text: 'Pick a slot', header_text: 'Delivery', list_button_text: 'Slots',
      sections: [{ title: 'Tomorrow', rows: [{ id: 'am', title: 'Morning', description: '9-12' }, { id: 'pm', title: 'Afternoon' }] }],
    }, {
      content: 'Pick a slot',
      message_type_data: {
        interactive_type: 'list', body_text: 'Pick a slot', header_text: 'Delivery', list_button_text: 'Slots',
        sections: [{ title: 'Tomorrow', rows: [{ id: 'am', title: 'Morning', description: '9-12' }, { id: 'pm', title: 'Afternoon' }] }],
      },
      metadata: { options: [{ id: 'am', title: 'Morning' }, { id: 'pm', title: 'Afternoon' }] },
    }],
    ['contacts (flat names, as the main spec spells them)', {
      message_type: 'contacts', content: '',
      contacts: [{ formatted_name: 'Dana Scully', phones: [{ phone: '+1 555 010 4242', type: 'WORK' }], emails: [{ email: 'dana@acme.example' }] }],
    }, {
      content: 'Contact: Dana Scully',
      message_type_data: { contacts: [{ name: { formatted_name: 'Dana Scully' }, phones: [{ phone: '+1 555 010 4242', type: 'WORK' }], emails: [{ email: 'dana@acme.example' }] }] },
    }],
    ['contacts (nested names, as the later revision spells them)', {
      message_type: 'contacts', content: '',
      contacts: [{ name: { first_name: 'Barbara', last_name: 'Johnson', prefix: 'Dr.' }, org: { company: 'Lucky Shrub' } }, { name: { formatted_name: 'Front Desk' } }],
    }, {
      content: 'Contacts: Dr. Barbara Johnson, Front Desk',
      message_type_data: {
        contacts: [
          { name: { formatted_name: 'Dr. Barbara Johnson', first_name: 'Barbara', last_name: 'Johnson', prefix: 'Dr.' }, org: { company: 'Lucky Shrub' } },
          { name: { formatted_name: 'Front Desk' } },
        ],
      },
    }],
    ['template (hello_world, no parameters)', { message_type: 'template', content: '', template_name: 'hello_world', template_language: 'en_US' }, {
      content: expect.stringMatching(/^Welcome and congratulations!!/),
      message_type_data: { template_name: 'hello_world', template_language: 'en_US', template_params: [] },
      metadata: { template_id: inbox.helloAcme, template_name: 'hello_world', template_language: 'en_US', template_params: [] },
    }],
    ['template with positional parameters', {
      message_type: 'template', content: '', template_name: 'order_confirmation', template_language: 'en_US', template_params: ['Maria', 'ACME-20001'],
    }, {
      content: 'Hi Maria, your order ACME-20001 has been confirmed and will ship within 2 business days.',
      message_type_data: { template_name: 'order_confirmation', template_language: 'en_US', template_params: ['Maria', 'ACME-20001'] },
    }],
    ['template with named parameters (language picked from the name alone)', {
      message_type: 'template', content: '', template_name: 'appointment_reminder', template_params: { customer_name: 'María', date: '3 de junio', time: '10:30' },
    }, {
      content: 'Hola María, te recordamos tu cita el 3 de junio a las 10:30. Responde SÍ para confirmar.',
      message_type_data: { template_name: 'appointment_reminder', template_language: 'es_MX', template_params: ['María', '3 de junio', '10:30'] },
      metadata: {
        template_id: inbox.appointmentReminder, template_name: 'appointment_reminder', template_language: 'es_MX',
        template_params: { customer_name: 'María', date: '3 de junio', time: '10:30' },
      },
    }],
  ];

  it.each(cases)('%s: content, message_type_data and metadata', async (_case, message, expected) => {
    const res = await send(inbox.mariaOpen, message);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ message_type: message.message_type, direction: 'outbound', status: 'sent', ...expected });
    if (!('media_url' in expected)) expect(res.body.data).not.toHaveProperty('media_url');
    const listed = await api.get(messagesOf(inbox.mariaOpen));
    expect(listed.body.data[0]).toEqual(res.body.data);
  });

  it('a reaction names the message by ID or by wamid, in the same conversation, and stores the wamid', async () => {
    const label = inbox.mariaLabel;
    const wamid = String(label.record.whatsapp_message_id);
    for (const ref of [label.id, wamid, label.id.toUpperCase()]) {
      const res = await send(inbox.mariaOpen, { message_type: 'reaction', content: '', reaction_emoji: '❤️', reacted_to_message_id: ref });
      expect(res.status).toBe(201);
      expect(res.body.data).toMatchObject({
        content: 'Reacted ❤️', message_type_data: { reaction_emoji: '❤️', reacted_to_message_id: wamid }, metadata: { reacted_to: label.id },
      });
    }
    const removed = await send(inbox.mariaOpen, { message_type: 'reaction', content: '', reaction_emoji: '', reacted_to_message_id: wamid });
    expect(removed.body.data.content).toBe('Removed a reaction');
  });
});

describe('bad messages: 422 naming the field, nothing stored', () => {
  const fails = (message: string) => ({ error: 'Validation failed', message });
  it.each([
    ['no content', {}, "content can't be blank"],
    ['blank text', { content: '   ' }, "content can't be blank for text messages"],
    ['content not a string', { content: 42 }, 'content must be a string'],
    ['an unknown message_type', { content: 'x', message_type: 'sticker' }, 'message_type must be one of: text, image, video, audio, document, template, location, interactive, reaction, contacts'],
    ['an image without media', { content: '', message_type: 'image', caption: 'x' }, "media_url or media_id can't be blank for image messages"],
    ['media that is not an http(s) URL', { content: '', message_type: 'document', media_url: 'ftp://files.example/a.pdf' }, 'media_url must be an http(s) URL'],
    ['a location without longitude', { content: '', message_type: 'location', latitude: 1 }, "longitude can't be blank for location messages"],
    ['a latitude off the globe', { content: '', message_type: 'location', latitude: 91, longitude: 0 }, 'latitude must be at most 90'],
    ['buttons without buttons', { content: '', message_type: 'interactive', interactive_type: 'button', body_text: 'Hi' }, "buttons can't be blank for button messages (1 to 3)"],
    ['four buttons', {
      content: '', message_type: 'interactive', interactive_type: 'button', body_text: 'Hi',
      buttons: [1, 2, 3, 4].map((n) => ({ id: `b${n}`, title: `B${n}` })),
    }, 'buttons must be at most 3'],
    ['buttons with the same id', {
      content: '', message_type: 'interactive', interactive_type: 'button', body_text: 'Hi', buttons: [{ id: 'a', title: 'A' }, { id: 'a', title: 'B' }],
    }, 'buttons must have distinct ids'],
    ['a list without its button text', {
      content: '', message_type: 'interactive', interactive_type: 'list', body_text: 'Hi', sections: [{ rows: [{ id: 'r', title: 'R' }] }],
    }, "list_button_text can't be blank for list messages"],
    ['an interactive message without a type', { content: '', message_type: 'interactive', body_text: 'Hi' }, "interactive_type can't be blank for interactive messages"],
    ['a reaction to a message of another conversation', {
      content: '', message_type: 'reaction', reaction_emoji: '👍', reacted_to_message_id: 'ae100000-0000-4000-8000-000000000008',
    }, 'reacted_to_message_id must be a message of this conversation'],
    ['a contact card without a name', { content: '', message_type: 'contacts', contacts: [{ phones: [{ phone: '+15550100000' }] }] }, 'contacts[0].name needs formatted_name or first_name'],
    ['a template without a name', { content: '', message_type: 'template' }, "template_name can't be blank for template messages"],
    ['a template that does not exist', { content: '', message_type: 'template', template_name: 'nope' }, "Template nope not found on this WhatsApp configuration's business account"],
    ['a template of another business account', { content: '', message_type: 'template', template_name: 'shipping_update', template_language: 'en_US' },
      "Template shipping_update (en_US) not found on this WhatsApp configuration's business account"],
    ['a template not approved yet', { content: '', message_type: 'template', template_name: 'summer_sale', template_params: ['a', 'b', 'c', 'd'] },
      'Template is not approved (status: submitted)'],
    ['a rejected template', { content: '', message_type: 'template', template_name: 'verification_code', template_params: ['1'] }, 'Template is not approved (status: rejected)'],
    ['too few parameters', { content: '', message_type: 'template', template_name: 'order_confirmation', template_params: ['Maria'] },
      'Template requires 2 parameters, but 1 were provided'],
    ['too many parameters', { content: '', message_type: 'template', template_name: 'hello_world', template_params: ['x'] },
      'Template requires 0 parameters, but 1 were provided'],
    ['named parameters with a wrong name', {
      content: '', message_type: 'template', template_name: 'appointment_reminder', template_params: { customer_name: 'A', date: 'B', hour: 'C' },
    }, 'Template requires the parameters customer_name, date, time; missing: time'],
    ['a blank parameter', { content: '', message_type: 'template', template_name: 'order_confirmation', template_params: ['Maria', ' '] },
      "Template parameter 2 can't be blank"],
  ])('%s', async (_case, message, error) => {
    const before = dump();
    const events = recordEvents(app);
    const res = await send(inbox.mariaOpen, message);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(fails(error));
    expect(dump()).toEqual(before);
    expect(events).toEqual([]);
  });

  it.each([
    ['no message wrapper', { content: 'x' }],
    ['message is not an object', { message: 'hello' }],
  ])('%s is 400', async (_case, body) => {
    const res = await api.post(messagesOf(inbox.mariaOpen), body);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: message' });
  });

  it('a template needs its header: a media header needs a URL in header_params', async () => {
    const res = await send(inbox.priyaClosed, {
      content: '', message_type: 'template', template_name: 'shipping_update', template_params: { customer_name: 'Priya', order_number: 'GLX-1', delivery_date: 'today' },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(fails('Template header requires a document URL in header_params'));
    const ok = await send(inbox.priyaClosed, {
      content: '', message_type: 'template', template_name: 'shipping_update', template_params: { customer_name: 'Priya', order_number: 'GLX-1', delivery_date: 'today' },
      header_type: 'document', header_params: 'https://docs.globex.example/invoices/GLX-1.pdf', header_filename: 'GLX-1.pdf',
    });
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({
      content: 'Hi Priya, your order GLX-1 is on its way. Expected delivery: today.',
      media_url: 'https://docs.globex.example/invoices/GLX-1.pdf',
      message_type_data: {
        template_name: 'shipping_update', template_language: 'en_US', template_params: ['Priya', 'GLX-1', 'today'],
        header_type: 'document', header_params: 'https://docs.globex.example/invoices/GLX-1.pdf', header_filename: 'GLX-1.pdf',
      },
    });
  });
});

describe('the 24-hour window (mock clock)', () => {
  it('refuses a text to a number whose last message is older than 24 hours, stores nothing, publishes nothing', async () => {
    const before = dump();
    const events = recordEvents(app);
    const res = await send(inbox.priyaClosed, { content: 'Are you still interested?' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(OUTSIDE);
    expect(dump()).toEqual(before);
    expect(events).toEqual([]);
  });

  it('refuses a text to a number that never wrote', async () => {
    const res = await send(inbox.sofiaNeverWrote, { content: 'Hi Sofia!' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(OUTSIDE);
  });

  it.each(['image', 'location', 'reaction', 'interactive', 'contacts'])('refuses a %s outside the window too', async (type) => {
    const bodies: Record<string, Record<string, unknown>> = {
      image: { media_url: 'https://cdn.acme.example/a.jpg' },
      location: { latitude: 1, longitude: 2 },
      reaction: { reaction_emoji: '👍', reacted_to_message_id: 'ae100000-0000-4000-8000-000000000013' },
      interactive: { interactive_type: 'button', body_text: 'Hi', buttons: [{ id: 'a', title: 'A' }] },
      contacts: { contacts: [{ formatted_name: 'A' }] },
    };
    const res = await send(inbox.priyaClosed, { content: '', message_type: type, ...bodies[type] });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(OUTSIDE);
  });

  it('a template goes outside the window', async () => {
    const res = await send(inbox.priyaClosed, { content: '', message_type: 'template', template_name: 'hello_world' });
    expect(res.status).toBe(201);
    expect(res.body.data.status).toBe('sent');
  });

  it('closes 24 hours after the last inbound message, exactly, on the mock\'s clock; an inbound message opens it again', async () => {
    // Maria last wrote 20 minutes before T0.
    clock.advance(24 * HOUR - 20 * 60_000);
    expect((await send(inbox.mariaOpen, { content: 'Still within the window' })).status).toBe(201);
    clock.advance(1);
    const refused = await send(inbox.mariaOpen, { content: 'One millisecond too late' });
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual(OUTSIDE);
    // Our own messages do not reopen it; hers do.
    const inbound = await admin.post('/__admin/simulate/inbound-message', { phone_number: '+1 (555) 010-2030', content: 'Hello again!' });
    expect(inbound.status).toBe(201);
    expect(inbound.body.data.conversation.id).toBe(inbox.mariaOpen);
    expect((await send(inbox.mariaOpen, { content: 'Welcome back!' })).status).toBe(201);
  });

  it('counts the number\'s messages on the same config in any of its conversations', async () => {
    // Maria's conversation on Acme Sales ended in February; her window on Acme Support is open, on Acme Sales it is not.
    const reopened = await api.patch(`/api/v1/whatsapp_conversations/${inbox.mariaSalesEnded}`, { whatsapp_conversation: { status: 'active' } });
    expect(reopened.status).toBe(200);
    const res = await send(inbox.mariaSalesEnded, { content: 'Hi from sales' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(OUTSIDE);
  });

  it('the messaging_window setting switches the rule off and on at runtime', async () => {
    expect((await admin.patch('/__admin/settings', { messaging_window: false })).body.data.messaging_window).toBe(false);
    expect((await send(inbox.priyaClosed, { content: 'Allowed with the rule off' })).status).toBe(201);
    await admin.patch('/__admin/settings', { messaging_window: true });
    expect((await send(inbox.priyaClosed, { content: 'Refused again' })).status).toBe(422);
  });

  it('KAPSO_MOCK_MESSAGING_WINDOW=false (messagingWindow) starts with it off', async () => {
    const off = await makeFrozenApp(T0, { messagingWindow: false });
    expect((await off.api.post(messagesOf(inbox.priyaClosed), { message: { content: 'Hi' } })).status).toBe(201);
    expect((await client(off.app, null).get('/__admin/settings')).body.data.messaging_window).toBe(false);
  });
});

describe('an agent execution in charge of the conversation', () => {
  it('409 with the spec\'s sentence while a send guard says so; nothing stored; send_template is not a manual message', async () => {
    const remove = app.repos.whatsappConversations.addSendGuard((projectId, conversationId) => projectId === ids.demoProject && conversationId === inbox.mariaOpen);
    const before = dump();
    const res = await send(inbox.mariaOpen, { content: 'Manual reply' });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'Cannot send a manual message when an agent execution is active and not in handoff, failed, or stopped state' });
    expect(dump()).toEqual(before);
    const standalone = await api.post('/api/v1/whatsapp_messages', { message: { phone_number: '+15550102030', content: 'Manual reply' } });
    expect(standalone.status).toBe(409);
    expect((await send(inbox.jamesOpen, { content: 'Another conversation is free' })).status).toBe(201);
    remove();
    expect((await send(inbox.mariaOpen, { content: 'Free again' })).status).toBe(201);
  });
});

describe('POST /whatsapp_messages (send by phone number)', () => {
  const post = (body: unknown, query = '') => api.post(`/api/v1/whatsapp_messages${query}`, body);
  const hello = { message_type: 'template', template_name: 'hello_world', template_language: 'en_US' };

  it('reuses the number\'s active conversation on the project\'s first config, whatever the spelling', async () => {
    const res = await post({ message: { phone_number: '1 555-010-2030', content: 'Found you by number' } });
    expect(res.status).toBe(201);
    const listed = await api.get(messagesOf(inbox.mariaOpen));
    expect(listed.body.data[0]).toEqual(res.body.data);
  });

  it('opens a conversation and a contact for a new number (a template: the number never wrote)', async () => {
    const events = recordEvents(app);
    const res = await post({ message: { phone_number: '+44 20 7946 0958', ...hello } });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ phone_number: '+442079460958', message_type: 'template', status: 'sent' });
    const conversations = (await api.get('/api/v1/whatsapp_conversations?q[phone_number_eq]=%2B44%2020%207946%200958')).body.data;
    expect(conversations).toEqual([{ id: expect.stringMatching(UUID_V4), phone_number: '+442079460958', status: 'active', last_active_at: T0, whatsapp_config_id: ids.acmeSupport }]);
    const contact = await api.get('/api/v1/whatsapp_contacts/442079460958');
    expect(contact.body.data).toEqual({ id: expect.any(String), wa_id: '442079460958', customer_id: ids.acme, metadata: {}, created_at: T0, updated_at: T0 });
    expect(named(events)).toEqual(['whatsapp.conversation.created', 'record.created', 'whatsapp.message.sent']);
    expect(events[0]!.data).toEqual({ conversation_id: conversations[0].id, whatsapp_config_id: ids.acmeSupport });
  });

  it('an ended conversation is not reused: a new one opens', async () => {
    const res = await post({ whatsapp_config_id: ids.initechDispatch, message: { phone_number: '+15550106655', ...hello } });
    expect(res.status).toBe(201);
    const mine = (await api.get(`/api/v1/whatsapp_conversations?q[whatsapp_config_id_eq]=${ids.initechDispatch}`)).body.data;
    expect(mine.map((c: any) => c.status)).toEqual(['active', 'ended']);
    expect(mine[1].id).toBe(inbox.chenEnded);
  });

  it.each([
    ['whatsapp_config_id in the body', { whatsapp_config_id: ids.globexOrders }, '', ids.globexOrders],
    ['whatsapp_config_id in the query', {}, `?whatsapp_config_id=${ids.globexOrders}`, ids.globexOrders],
    ['customer_id: the customer\'s first config', { customer_id: ids.acme }, '', ids.acmeSupport],
    ['customer_id in the query', {}, `?customer_id=${ids.initech}`, ids.initechDispatch],
    ['neither: the project\'s first config', {}, '', ids.acmeSupport],
  ])('config from %s', async (_case, extra, query, configId) => {
    const res = await post({ ...extra, message: { phone_number: '+1 555 019 4242', ...hello } }, query);
    expect(res.status).toBe(201);
    const conversations = (await api.get('/api/v1/whatsapp_conversations?q[phone_number_eq]=15550194242')).body.data;
    expect(conversations.map((c: any) => c.whatsapp_config_id)).toEqual([configId]);
  });

  it('the phone number may come in the query', async () => {
    const res = await post({ message: hello }, '?phone_number=%2B15550194343');
    expect(res.status).toBe(201);
    expect(res.body.data.phone_number).toBe('+15550194343');
  });

  it.each([
    ['no phone number', { message: { content: 'hi' } }, 400, { error: 'Phone number is required' }],
    ['a blank phone number', { message: { phone_number: ' ', content: 'hi' } }, 400, { error: 'Phone number is required' }],
    ['a phone number that is not one', { message: { phone_number: 'call me', content: 'hi' } }, 422,
      { error: 'Validation failed', message: 'phone_number is not a valid phone number (7 to 15 digits, e.g. +15550102030)' }],
    ['an unknown config', { whatsapp_config_id: MISSING_ID, message: { phone_number: '+15550190000', content: 'hi' } }, 422, { error: 'WhatsApp configuration not found' }],
    ['another project\'s config', { whatsapp_config_id: ids.umbrellaConfig, message: { phone_number: '+15550190000', content: 'hi' } }, 422, { error: 'WhatsApp configuration not found' }],
    ['an unknown customer', { customer_id: MISSING_ID, message: { phone_number: '+15550190000', content: 'hi' } }, 422, { error: 'WhatsApp configuration not found' }],
    ['a template that does not exist', { message: { phone_number: '+15550190000', message_type: 'template', template_name: 'nope' } }, 404, { error: 'Template not found' }],
    ['a text to a number that never wrote', { message: { phone_number: '+15550190000', content: 'hi' } }, 422, OUTSIDE],
    ['no message', { phone_number: '+15550190000' }, 400, { error: 'Invalid parameters', message: 'param is missing or the value is empty: message' }],
  ])('%s: %s, nothing stored', async (_case, body, status, error) => {
    const before = dump();
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(dump()).toEqual(before);
  });
});

describe('PATCH /whatsapp_messages/{id}/mark_as_read', () => {
  const unread = () => seed.find('whatsappMessages', (r) => r.direction === 'inbound' && r.status === undefined && r.message_type === 'location').id;

  it('an inbound message reads read; its updated_at moves once; a second call changes nothing', async () => {
    const id = unread();
    const events = recordEvents(app);
    clock.advance(60_000);
    const res = await api.patch(markRead(id));
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id, direction: 'inbound', status: 'read', updated_at: at(60_000) });
    expect(named(events)).toEqual(['record.updated']);
    clock.advance(60_000);
    const again = await api.patch(markRead(id));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(events).toHaveLength(1);
    const listed = (await api.get(`${messagesOf(inbox.jamesOpen)}?per_page=100`)).body.data.find((m: any) => m.id === id);
    expect(listed).toEqual(res.body.data);
  });

  it('PUT reaches it too; typing_indicator is accepted', async () => {
    const res = await api.put(`${markRead(unread())}?typing_indicator=false`);
    expect(res.status).toBe(200);
    expect(res.body.data.status).toBe('read');
  });

  it('an outbound message is 400 with the spec\'s sentence and is left as it was', async () => {
    const before = dump();
    const res = await api.patch(markRead(inbox.mariaLabel.id));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Can only mark inbound messages as read' });
    expect(dump()).toEqual(before);
  });

  it.each([
    ['a missing message', MISSING_ID, undefined],
    ['an ID that is not a UUID', 'wamid.HBgL', undefined],
    ['another project\'s message with the other key', inbox.mariaFirst.id, OTHER_KEY],
  ])('%s is 404 WhatsApp message not found', async (_case, id, key) => {
    const res = await api.patch(markRead(id), undefined, { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'WhatsApp message not found' });
  });
});
