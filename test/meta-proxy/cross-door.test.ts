// The proxy is a second door to /api/v1's inbox: the same events (so the same webhooks) for a
// send through either door, the journal, fault rules, the rate limit (Retry-After) and the
// response cache apply to the new routes, and the 409 an agent execution's send guard answers.
import { afterEach, describe, expect, it } from 'vitest';
import { client, makeApp } from '../helpers/app.js';
import { recordEvents } from '../helpers/inbox.js';
import { proxy, V } from './helpers.js';

const MARIA = '15550102030';
const text = (body: string) => ({ messaging_product: 'whatsapp', to: MARIA, type: 'text', text: { body } });

describe('the same events through both doors', () => {
  it('a send through the proxy publishes what a send through /api/v1 publishes, about the same conversation', async () => {
    const app = await makeApp();
    const events = recordEvents(app);
    const demo = client(app);
    const viaProxy = await demo.post(`${V}/${proxy.acmePhone}/messages`, text('Via the proxy'));
    expect(viaProxy.status).toBe(200);
    const viaApi = await demo.post('/api/v1/whatsapp_messages', { message: { phone_number: MARIA, content: 'Via /api/v1' }, whatsapp_config_id: proxy.acmeSupport.id });
    expect(viaApi.status).toBe(201);
    const sent = events.filter((e) => e.name === 'whatsapp.message.sent');
    expect(sent).toHaveLength(2);
    expect((sent[0]!.data as any).conversation_id).toBe((sent[1]!.data as any).conversation_id);
    expect((sent[0]!.data as any).whatsapp_config_id).toBe(proxy.acmeSupport.id);
    // A first message to a new number opens a conversation through the proxy too.
    await demo.post(`${V}/${proxy.acmePhone}/messages`, { messaging_product: 'whatsapp', to: '15550108800', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
    expect(events.map((e) => e.name)).toContain('whatsapp.conversation.created');
  });

  it('a refused send publishes nothing and stores nothing', async () => {
    const app = await makeApp();
    const before = app.state.dump();
    const events = recordEvents(app);
    const res = await client(app).post(`${V}/${proxy.globexPhone}/messages`, { ...text('Hello?'), to: '15550107788' });
    expect(res.status).toBe(422);
    expect(events).toEqual([]);
    expect(app.state.dump()).toEqual(before);
  });
});

describe('the control plane applies to the new routes', () => {
  afterEach(() => undefined);

  it('the journal records a proxy send; a fault rule on the messages path answers its status in Graph form', async () => {
    const app = await makeApp();
    const demo = client(app);
    await demo.post(`${V}/${proxy.acmePhone}/messages`, text('Journaled'));
    const journal = await app.inject({ method: 'GET', url: '/__admin/requests?path=/meta/whatsapp/*' });
    expect(JSON.stringify(journal.json())).toContain(`/meta/whatsapp/v24.0/${proxy.acmePhone}/messages`);
    const fault = await app.inject({ method: 'POST', url: '/__admin/faults', payload: { path: '/meta/whatsapp/*/{id}/messages', method: 'POST', status: 503 } });
    expect(fault.statusCode).toBe(201);
    const res = await demo.post(`${V}/${proxy.acmePhone}/messages`, text('Faulted'));
    expect(res.status).toBe(503);
    expect(res.body.error).toMatchObject({ code: 2, message: 'Service temporarily unavailable' });
  });

  it('a forced 409 is the documented message-in-flight body', async () => {
    const app = await makeApp();
    const res = await client(app).call('POST', `${V}/${proxy.acmePhone}/messages`, { body: text('x'), headers: { 'x-kapso-mock-status': '409' } });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ error: 'Another message is already in-flight for this conversation. Please retry shortly.' });
  });

  it('the rate limit counts proxy sends and answers 429 with Retry-After', async () => {
    const app = await makeApp({ rateLimit: 1 });
    const demo = client(app);
    expect((await demo.get(`${V}/${proxy.acmePhone}/messages?limit=1`)).status).toBe(200);
    const limited = await demo.post(`${V}/${proxy.acmePhone}/messages`, text('Too fast'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body.error).toMatchObject({ code: 4 });
  });

  it('a seeded agent execution in charge of a conversation: /api/v1 answers its 409, the proxy the message-in-flight 409', async () => {
    const app = await makeApp();
    const demo = client(app);
    const phones = [proxy.acmePhone, proxy.salesPhone, proxy.globexPhone, proxy.initechPhone];
    let found: { phone: string; id: string; number: string } | undefined;
    for (const phone of phones) {
      const list = (await demo.get(`${V}/${phone}/conversations?status=active&limit=100`)).body.data as { id: string; phone_number: string }[];
      const blocked = list.find((c) => app.repos.whatsappConversations.sendBlocked(proxy.demoProject, c.id));
      if (blocked) found = { phone, id: blocked.id, number: blocked.phone_number };
    }
    expect(found, 'the fixtures have an execution in charge of an active conversation').toBeDefined();
    const viaApi = await demo.post(`/api/v1/whatsapp_conversations/${found!.id}/whatsapp_messages`, { message: { content: 'Manual', message_type: 'text' } });
    expect(viaApi.status).toBe(409);
    const before = app.state.dump();
    const viaProxy = await demo.post(`${V}/${found!.phone}/messages`, { ...text('Manual'), to: found!.number });
    expect(viaProxy.status).toBe(409);
    expect(viaProxy.body).toEqual({ error: 'Another message is already in-flight for this conversation. Please retry shortly.' });
    expect(app.state.dump()).toEqual(before);
  });

  it('an agent execution in charge of the conversation blocks a proxy send with the in-flight 409 (the send guard)', async () => {
    const app = await makeApp();
    const remove = app.repos.whatsappConversations.addSendGuard(() => true);
    try {
      const res = await client(app).post(`${V}/${proxy.acmePhone}/messages`, text('Manual'));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ error: 'Another message is already in-flight for this conversation. Please retry shortly.' });
      const template = await client(app).post(`${V}/${proxy.acmePhone}/messages`, { messaging_product: 'whatsapp', to: MARIA, type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } });
      expect(template.status).toBe(409);
    } finally {
      remove();
    }
  });
});
