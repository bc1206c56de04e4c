// WhatsApp templates: every list filter of the spec and its later revision, the template's shape
// (components keyed by type, content, parameter_count, its business account and the configs that
// can send it), and send_template: the config it goes from, the parameter rules, and the
// documented bare 200 and 422 bodies; a sent template is a message in the number's conversation.
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox, named, recordEvents } from './helpers/inbox.js';
import { demo, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const WAMID = /^wamid\.[A-Za-z0-9_=-]+$/;
const templates = '/api/v1/whatsapp_templates';
const sendUrl = (id: string) => `${templates}/${id}/send_template`;

let app: FastifyInstance;
let api: Client;

beforeEach(async () => {
  ({ app, api } = await makeFrozenApp(T0));
});

const list = async (query = '') => (await api.get(`${templates}?per_page=100${query}`)).body.data.map((t: any) => t.id);
const all = () => seed.records.filter((r) => r.kind === 'whatsappTemplates' && r.projectId === demo.id);

describe('get', () => {
  it('the template in the API shape: components keyed by type, content and parameter_count from the body', async () => {
    const res = await api.get(`${templates}/${inbox.orderConfirmation}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: inbox.orderConfirmation,
      name: 'order_confirmation',
      language_code: 'en_US',
      category: 'UTILITY',
      status: 'approved',
      content: 'Hi {{1}}, your order {{2}} has been confirmed and will ship within 2 business days.',
      parameter_count: 2,
      business_account_id: '102290129340398',
      whatsapp_config_ids: [ids.acmeSupport, ids.acmeSales],
      components: {
        header: { format: 'TEXT', text: 'Order confirmed' },
        body: { text: 'Hi {{1}}, your order {{2}} has been confirmed and will ship within 2 business days.', example: { body_text: [['Maria', 'ACME-10423']] } },
        footer: { text: 'Acme Corporation' },
        buttons: [{ type: 'URL', text: 'Track order', url: 'https://shop.acme.example/orders/{{1}}' }],
      },
      metadata: { meta_template_id: '1284930017765432', parameter_format: 'POSITIONAL', quality_score: 'GREEN' },
      created_at: '2026-01-11T09:00:00.000Z',
      updated_at: '2026-01-11T15:20:00.000Z',
    });
  });

  it('a named template counts its distinct names', async () => {
    const res = await api.get(`${templates}/${inbox.appointmentReminder}`);
    expect(res.body.data).toMatchObject({ parameter_count: 3, metadata: { parameter_format: 'NAMED' } });
  });

  it.each([
    ['missing', MISSING_ID, undefined],
    ['not a UUID', 'order_confirmation', undefined],
    ["another project's", inbox.appointmentConfirmation, undefined],
    ['the Demo Project\'s, with the other key', inbox.orderConfirmation, OTHER_KEY],
  ])('%s: 404 Template not found', async (_case, id, key) => {
    const res = await api.get(`${templates}/${id}`, { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Template not found' });
  });
});

describe('listing', () => {
  it('newest first, paginated with meta', async () => {
    const res = await api.get(`${templates}?per_page=4`);
    expect(res.body.meta).toEqual({ page: 1, per_page: 4, total_pages: Math.ceil(all().length / 4), total_count: all().length });
    const everything = (await api.get(`${templates}?per_page=100`)).body.data;
    const times = everything.map((t: any) => t.created_at);
    expect([...times].sort().reverse()).toEqual(times);
  });

  const by = (keep: (r: Record<string, any>) => boolean) => all().filter((r) => keep(r.record)).map((r) => r.id);
  const acmeConfigs = [ids.acmeSupport, ids.acmeSales];

  it.each([
    ['q[name_cont]', '&q[name_cont]=HELLO', (r: any) => r.name.includes('hello')],
    ['q[language_code_eq]', '&q[language_code_eq]=es_MX', (r: any) => r.language_code === 'es_MX'],
    ['q[category_eq]', '&q[category_eq]=MARKETING', (r: any) => r.category === 'MARKETING'],
    ['q[status_eq]', '&q[status_eq]=approved', (r: any) => r.status === 'approved'],
    ['q[customer_id_eq]', `&q[customer_id_eq]=${ids.acme}`, (r: any) => acmeConfigs.includes(r.whatsapp_config_id)],
    ['customer_id', `&customer_id=${ids.globex}`, (r: any) => r.whatsapp_config_id === ids.globexOrders],
    ['business_account_id', '&business_account_id=110293847560192', (r: any) => r.whatsapp_config_id === ids.initechDispatch],
    ['q[business_account_id_eq]', '&q[business_account_id_eq]=102290129340398', (r: any) => acmeConfigs.includes(r.whatsapp_config_id)],
    ['whatsapp_config_id: the templates of its business account', `&whatsapp_config_id=${ids.acmeSales}`, (r: any) => acmeConfigs.includes(r.whatsapp_config_id)],
    ['q[whatsapp_config_id_eq]', `&q[whatsapp_config_id_eq]=${ids.globexOrders}`, (r: any) => r.whatsapp_config_id === ids.globexOrders],
    ['an unknown whatsapp_config_id matches nothing', `&whatsapp_config_id=${MISSING_ID}`, () => false],
    ['filters combine', '&q[status_eq]=approved&q[name_cont]=hello&business_account_id=109283746501928', (r: any) => r.name === 'hello_world' && r.whatsapp_config_id === ids.globexOrders],
  ])('%s', async (_case, query, keep) => {
    const expected = by(keep);
    expect((await list(query)).sort()).toEqual(expected.sort());
  });
});

describe('send_template', () => {
  const send = (id: string, template: Record<string, unknown>, key?: string) => api.post(sendUrl(id), { template }, key === undefined ? {} : { key });

  it('200 with the bare documented body; the message is in the number\'s active conversation', async () => {
    const events = recordEvents(app);
    const res = await send(inbox.orderConfirmation, { phone_number: '+1 (555) 010-2030', template_parameters: ['Maria', 'ACME-20002'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      message: 'Template message sent successfully',
      template_id: inbox.orderConfirmation,
      template_name: 'order_confirmation',
      response: {
        messaging_product: 'whatsapp',
        contacts: [{ input: '+15550102030', wa_id: '15550102030' }],
        messages: [{ id: expect.stringMatching(WAMID), message_status: 'accepted' }],
      },
    });
    const [latest] = (await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`)).body.data;
    expect(latest).toMatchObject({
      whatsapp_message_id: res.body.response.messages[0].id,
      message_type: 'template', direction: 'outbound', status: 'sent', created_at: T0,
      content: 'Hi Maria, your order ACME-20002 has been confirmed and will ship within 2 business days.',
      message_type_data: { template_name: 'order_confirmation', template_language: 'en_US', template_params: ['Maria', 'ACME-20002'] },
    });
    expect(named(events)).toEqual(['whatsapp.message.sent']);
  });

  it('named parameters as an object; the header text and the document header when the template has one', async () => {
    const res = await send(inbox.shippingUpdate, {
      phone_number: '+15550107788', template_parameters: { customer_name: 'Priya', order_number: 'GLX-9', delivery_date: 'Friday' },
      header_type: 'document', header_params: 'https://docs.globex.example/invoices/GLX-9.pdf', header_filename: 'GLX-9.pdf',
    });
    expect(res.status).toBe(200);
    const [latest] = (await api.get(`/api/v1/whatsapp_conversations/${inbox.priyaClosed}/whatsapp_messages`)).body.data;
    expect(latest).toMatchObject({
      content: 'Hi Priya, your order GLX-9 is on its way. Expected delivery: Friday.',
      media_url: 'https://docs.globex.example/invoices/GLX-9.pdf',
      metadata: { template_params: { customer_name: 'Priya', order_number: 'GLX-9', delivery_date: 'Friday' } },
    });
  });

  it.each([
    ['no config or customer: the project\'s first config on the template\'s business account', {}, ids.acmeSupport],
    ['whatsapp_config_id: that config', { whatsapp_config_id: ids.acmeSales }, ids.acmeSales],
    ['customer_id: the customer\'s first config on the business account', { customer_id: ids.acme }, ids.acmeSupport],
  ])('%s', async (_case, extra, configId) => {
    const res = await send(inbox.orderConfirmation, { phone_number: '+1 555 019 5050', template_parameters: ['Zed', 'ACME-1'], ...extra });
    expect(res.status).toBe(200);
    const [conversation] = (await api.get('/api/v1/whatsapp_conversations?q[phone_number_eq]=15550195050')).body.data;
    expect(conversation.whatsapp_config_id).toBe(configId);
  });

  it('a template is not bound by the 24-hour window, nor blocked by an agent execution', async () => {
    app.repos.whatsappConversations.addSendGuard(() => true);
    const res = await send(inbox.helloGlobex, { phone_number: '+15550107788' });
    expect(res.status).toBe(200);
  });

  const bare = (error: string) => ({ error });
  it.each([
    ['too few parameters', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['Maria'] }, bare('Template requires 2 parameters, but 1 were provided')],
    ['no parameters at all', inbox.orderConfirmation, { phone_number: '+15550102030' }, bare('Template requires 2 parameters, but 0 were provided')],
    ['too many', inbox.helloAcme, { phone_number: '+15550102030', template_parameters: ['x'] }, bare('Template requires 0 parameters, but 1 were provided')],
    ['an object for a positional template', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: { name: 'A', order: 'B' } },
      bare('Template uses positional parameters ({{1}}, {{2}}): give them as an array')],
    ['a missing name', inbox.appointmentReminder, { phone_number: '+15550102030', template_parameters: { customer_name: 'A', date: 'B' } },
      bare('Template requires 3 parameters, but 2 were provided')],
    ['a submitted template', inbox.summerSale, { phone_number: '+15550102030', template_parameters: ['a', 'b', 'c', 'd'] }, bare('Template is not approved (status: submitted)')],
    ['a disabled template', inbox.driverCheckin, { phone_number: '+15550106655', template_parameters: ['a', 'b', 'c'] }, bare('Template is not approved (status: disabled)')],
    ['a media header without its URL', inbox.shippingUpdate, { phone_number: '+15550107788', template_parameters: { customer_name: 'P', order_number: 'G', delivery_date: 'F' } },
      bare('Template header requires a document URL in header_params')],
    ['a config on another business account', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['a', 'b'], whatsapp_config_id: ids.globexOrders },
      bare('Template is not available on this WhatsApp configuration')],
    ['an unknown config', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['a', 'b'], whatsapp_config_id: MISSING_ID },
      bare('WhatsApp configuration not found')],
    ['an unknown customer', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['a', 'b'], customer_id: MISSING_ID }, bare('Customer must exist')],
    ['a customer with no config on the business account', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['a', 'b'], customer_id: ids.globex },
      bare('No WhatsApp configuration of this customer can send this template')],
    ['no phone number', inbox.helloAcme, {}, bare("phone_number can't be blank")],
    ['a phone number that is not one', inbox.helloAcme, { phone_number: 'tomorrow' }, bare('phone_number is not a valid phone number (7 to 15 digits, e.g. +15550102030)')],
    ['parameters that are not strings', inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: [1, 2] }, bare('template_parameters[0] must be a string')],
  ])('%s: 422 with the bare documented body, nothing stored', async (_case, id, template, error) => {
    const before = app.state.dump();
    const res = await send(id, template);
    expect(res.status).toBe(422);
    expect(res.body).toEqual(error);
    expect(app.state.dump()).toEqual(before);
  });

  it('a template of another project, or missing, is 404; a missing wrapper is 400', async () => {
    for (const res of [
      await send(inbox.appointmentConfirmation, { phone_number: '+15550102030' }),
      await send(MISSING_ID, { phone_number: '+15550102030' }),
      await send(inbox.orderConfirmation, { phone_number: '+15550102030', template_parameters: ['a', 'b'] }, OTHER_KEY),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Template not found' });
    }
    const res = await api.post(sendUrl(inbox.helloAcme), { phone_number: '+15550102030' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Invalid parameters', message: 'param is missing or the value is empty: template' });
  });
});
