// The Meta proxy's tenancy, operation by operation: another project's phone number, business
// account, media item or Flow is an unknown object, answered exactly as a missing ID is (the same
// Graph error, with only the ID it names differing), and nothing is written; the same request
// with the Demo key does what it says. Every operation of the proxy is listed (the list is checked
// against the generated document).
import type { FastifyInstance } from 'fastify';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { client, DEMO_KEY, makeApp, OTHER_KEY } from '../helpers/app.js';
import { newWamid } from '../../src/lib/ids.js';
import { metaTemplateIdFor } from '../../src/resources/whatsapp-templates/repository.js';
import { inbox } from '../helpers/inbox.js';
import { seed } from '../helpers/seed.js';
import { MISSING, proxy, V } from './helpers.js';

interface Case {
  /** The operation as the document names it: METHOD and path template. */
  op: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The URL with the Demo Project's IDs, and with missing ones. */
  url: (ids: typeof DEMO_IDS) => string;
  body?: unknown;
  /** A multipart body instead (uploads). */
  form?: Record<string, string | { filename: string; type: string; content: string }>;
  /** What the Demo key gets (default 200). */
  demo?: number;
}

/** Maria's first message on Acme Support: its wamid, as the fixtures derive it. */
const MARIA_FIRST = seed.find('whatsappMessages', (r) => r.id === inbox.mariaFirst.id).record as { id: string; whatsapp_message_id?: string };
const MARIA_WAMID = MARIA_FIRST.whatsapp_message_id ?? newWamid('15550102030', MARIA_FIRST.id);

const ORDER_TEMPLATE = seed.find('whatsappTemplates', (r) => r.id === inbox.orderConfirmation).record as { id: string; meta_template_id?: string };
const TEMPLATE_ID = ORDER_TEMPLATE.meta_template_id ?? metaTemplateIdFor(ORDER_TEMPLATE.id);

const DEMO_IDS = { conversation: inbox.mariaOpen, template: TEMPLATE_ID, wamid: MARIA_WAMID, phone: proxy.acmePhone, waba: proxy.acmeWaba, media: proxy.media.logo, flow: proxy.flows.survey, published: proxy.flows.booking, deprecated: proxy.flows.deprecated };
const MISSING_IDS = { conversation: '00000000-0000-4000-8000-000000000000', template: '100000000000000', wamid: MARIA_WAMID, phone: MISSING.phone, waba: MISSING.phone, media: MISSING.media, flow: MISSING.flow, published: MISSING.flow, deprecated: MISSING.flow };
const FLOW_JSON = JSON.stringify({ version: '7.1', screens: [{ id: 'A', terminal: true, layout: { type: 'SingleColumnLayout', children: [] } }] });

const CASES: Case[] = [
  { op: 'GET /{id}', method: 'GET', url: (i) => `${V}/${i.phone}` },
  { op: 'GET /{id}', method: 'GET', url: (i) => `${V}/${i.media}?phone_number_id=${i.phone}` },
  { op: 'GET /{id}', method: 'GET', url: (i) => `${V}/${i.flow}` },
  { op: 'POST /{id}', method: 'POST', url: (i) => `${V}/${i.phone}`, body: { pin: '654321' } },
  { op: 'POST /{id}', method: 'POST', url: (i) => `${V}/${i.flow}`, body: { name: 'taken_over' } },
  { op: 'DELETE /{id}', method: 'DELETE', url: (i) => `${V}/${i.media}` },
  { op: 'GET /{business_account_id}/phone_numbers', method: 'GET', url: (i) => `${V}/${i.waba}/phone_numbers` },
  { op: 'POST /{phone_number_id}/request_code', method: 'POST', url: (i) => `${V}/${i.phone}/request_code`, body: { code_method: 'SMS', language: 'en_US' } },
  { op: 'POST /{phone_number_id}/verify_code', method: 'POST', url: (i) => `${V}/${i.phone}/verify_code`, body: { code: '123456' }, demo: 400 },
  { op: 'POST /{phone_number_id}/register', method: 'POST', url: (i) => `${V}/${i.phone}/register`, body: { messaging_product: 'whatsapp', pin: '246810' } },
  { op: 'POST /{phone_number_id}/deregister', method: 'POST', url: (i) => `${V}/${i.phone}/deregister` },
  { op: 'GET /{phone_number_id}/settings', method: 'GET', url: (i) => `${V}/${i.phone}/settings` },
  { op: 'POST /{phone_number_id}/settings', method: 'POST', url: (i) => `${V}/${i.phone}/settings`, body: { calling: { status: 'DISABLED' } } },
  { op: 'GET /{phone_number_id}/whatsapp_business_profile', method: 'GET', url: (i) => `${V}/${i.phone}/whatsapp_business_profile` },
  { op: 'POST /{phone_number_id}/whatsapp_business_profile', method: 'POST', url: (i) => `${V}/${i.phone}/whatsapp_business_profile`, body: { messaging_product: 'whatsapp', about: 'Hijacked' } },
  { op: 'GET /{phone_number_id}/block_users', method: 'GET', url: (i) => `${V}/${i.phone}/block_users` },
  { op: 'POST /{phone_number_id}/block_users', method: 'POST', url: (i) => `${V}/${i.phone}/block_users`, body: { block_users: [{ user: '15550101111' }] } },
  { op: 'DELETE /{phone_number_id}/block_users', method: 'DELETE', url: (i) => `${V}/${i.phone}/block_users`, body: { block_users: [{ user: '15550107777' }] } },
  { op: 'GET /{phone_number_id}/username', method: 'GET', url: (i) => `${V}/${i.phone}/username` },
  { op: 'POST /{phone_number_id}/username', method: 'POST', url: (i) => `${V}/${i.phone}/username`, body: { username: 'taken_over' } },
  { op: 'DELETE /{phone_number_id}/username', method: 'DELETE', url: (i) => `${V}/${i.phone}/username` },
  { op: 'GET /{phone_number_id}/username_suggestions', method: 'GET', url: (i) => `${V}/${i.phone}/username_suggestions` },
  { op: 'GET /{phone_number_id}/calls', method: 'GET', url: (i) => `${V}/${i.phone}/calls` },
  { op: 'POST /{phone_number_id}/calls', method: 'POST', url: (i) => `${V}/${i.phone}/calls`, body: { messaging_product: 'whatsapp', action: 'reject', call_id: proxy.calls.acmeRinging } },
  { op: 'GET /{phone_number_id}/call_permissions', method: 'GET', url: (i) => `${V}/${i.phone}/call_permissions?user_wa_id=15550102030` },
  {
    op: 'POST /{phone_number_id}/media', method: 'POST', url: (i) => `${V}/${i.phone}/media`,
    form: { messaging_product: 'whatsapp', file: { filename: 'a.png', type: 'image/png', content: 'PNG' } },
  },
  { op: 'GET /{id}/flows', method: 'GET', url: (i) => `${V}/${i.waba}/flows` },
  { op: 'GET /{id}/flows', method: 'GET', url: (i) => `${V}/${i.phone}/flows` },
  { op: 'POST /{id}/flows', method: 'POST', url: (i) => `${V}/${i.waba}/flows`, body: { name: 'planted', categories: ['OTHER'] } },
  { op: 'POST /{id}/flows', method: 'POST', url: (i) => `${V}/${i.phone}/flows`, body: { name: 'planted', categories: ['OTHER'] } },
  { op: 'GET /{flow_id}/assets', method: 'GET', url: (i) => `${V}/${i.flow}/assets` },
  {
    op: 'POST /{flow_id}/assets', method: 'POST', url: (i) => `${V}/${i.flow}/assets`,
    form: { name: 'flow.json', asset_type: 'FLOW_JSON', file: { filename: 'flow.json', type: 'application/json', content: FLOW_JSON } },
  },
  { op: 'POST /{flow_id}/publish', method: 'POST', url: (i) => `${V}/${i.flow}/publish` },
  { op: 'POST /{flow_id}/deprecate', method: 'POST', url: (i) => `${V}/${i.published}/deprecate` },
  { op: 'DELETE /flows/{flow_id}', method: 'DELETE', url: (i) => `${V}/flows/${i.flow}` },
  { op: 'POST /{phone_number_id}/messages', method: 'POST', url: (i) => `${V}/${i.phone}/messages`, body: { messaging_product: 'whatsapp', to: '15550102030', type: 'text', text: { body: 'Planted' } } },
  { op: 'POST /{phone_number_id}/messages', method: 'POST', url: (i) => `${V}/${i.phone}/messages`, body: { messaging_product: 'whatsapp', status: 'read', message_id: MARIA_WAMID } },
  {
    op: 'POST /{phone_number_id}/marketing_messages', method: 'POST', url: (i) => `${V}/${i.phone}/marketing_messages`,
    body: { messaging_product: 'whatsapp', to: '15550102030', type: 'template', template: { name: 'hello_world', language: { code: 'en_US' } } },
  },
  { op: 'GET /{phone_number_id}/messages', method: 'GET', url: (i) => `${V}/${i.phone}/messages` },
  { op: 'GET /{phone_number_id}/messages/{message_id}', method: 'GET', url: (i) => `${V}/${i.phone}/messages/${i.wamid}` },
  { op: 'GET /{phone_number_id}/conversations', method: 'GET', url: (i) => `${V}/${i.phone}/conversations` },
  { op: 'GET /{phone_number_id}/conversations/{conversation_id}', method: 'GET', url: (i) => `${V}/${i.phone}/conversations/${i.conversation}` },
  { op: 'GET /conversations/{conversation_id}', method: 'GET', url: (i) => `${V}/conversations/${i.conversation}` },
  { op: 'PATCH /conversations/{conversation_id}', method: 'PATCH', url: (i) => `${V}/conversations/${i.conversation}`, body: { status: 'ended' } },
  { op: 'POST /{phone_number_id}/thread_control', method: 'POST', url: (i) => `${V}/${i.phone}/thread_control`, body: { messaging_product: 'whatsapp', to: '15550102030', action: 'pass' } },
  { op: 'GET /{phone_number_id}/contacts', method: 'GET', url: (i) => `${V}/${i.phone}/contacts` },
  { op: 'GET /{phone_number_id}/contacts/{wa_id}', method: 'GET', url: (i) => `${V}/${i.phone}/contacts/15550102030` },
  { op: 'PATCH /{phone_number_id}/contacts/{wa_id}', method: 'PATCH', url: (i) => `${V}/${i.phone}/contacts/15550102030`, body: { display_name: 'Hijacked' } },
  { op: 'GET /{business_account_id}/message_templates', method: 'GET', url: (i) => `${V}/${i.waba}/message_templates` },
  { op: 'GET /{business_account_id}/message_templates/{template_id}', method: 'GET', url: (i) => `${V}/${i.waba}/message_templates/${i.template}` },
  {
    op: 'POST /{business_account_id}/message_templates', method: 'POST', url: (i) => `${V}/${i.waba}/message_templates`,
    body: { name: 'planted', language: 'en_US', category: 'UTILITY', components: [{ type: 'BODY', text: 'Hi {{1}}' }] },
  },
  { op: 'DELETE /{business_account_id}/message_templates', method: 'DELETE', url: (i) => `${V}/${i.waba}/message_templates?name=order_confirmation` },
];

/** A multipart body light-my-request can send. */
function multipart(form: NonNullable<Case['form']>) {
  const boundary = '----kapsomocktenancy';
  const parts = Object.entries(form).map(([name, v]) => (typeof v === 'string'
    ? `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`
    : `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${v.filename}"\r\nContent-Type: ${v.type}\r\n\r\n${v.content}\r\n`));
  return { payload: `${parts.join('')}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

let app: FastifyInstance;
beforeEach(async () => {
  app = await makeApp();
});

async function send(c: Case, key: string, ids: typeof DEMO_IDS) {
  const url = c.url(ids);
  if (c.form) {
    const { payload, contentType } = multipart(c.form);
    const res = await app.inject({ method: c.method, url, headers: { 'x-api-key': key, 'content-type': contentType }, payload });
    return { status: res.statusCode, body: res.json() as any, raw: res.body };
  }
  return client(app, key).call(c.method, url, c.body === undefined ? {} : { body: c.body });
}

/** The error with the ID it names and its trace replaced, to compare two answers. */
const shape = (body: any, id: string) => ({ ...body.error, message: String(body.error.message).replaceAll(id, '<id>'), fbtrace_id: '<trace>' });

describe('the proxy\'s operation list', () => {
  it('covers every operation of the proxy in the generated document', () => {
    const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.startsWith('/meta/whatsapp/{version}/'))
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace('/meta/whatsapp/{version}', '')}`));
    expect(new Set(CASES.map((c) => c.op))).toEqual(new Set(documented));
  });
});

describe.each(CASES.map((c) => [`${c.method} ${c.url(DEMO_IDS).replace(V, '')}`, c] as const))('%s', (_label, c) => {
  it("with another project's key is an unknown object, as a missing ID is, and writes nothing", async () => {
    const before = app.state.dump();
    const res = await send(c, OTHER_KEY, DEMO_IDS);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 100, error_subcode: 33, type: 'GraphMethodException' });
    expect(app.state.dump()).toEqual(before);
    const named = /Object with ID '([^']+)'/.exec(res.body.error.message)![1]!;
    const missing = await send(c, OTHER_KEY, MISSING_IDS);
    expect(missing.status).toBe(404);
    const missingId = /Object with ID '([^']+)'/.exec(missing.body.error.message)![1]!;
    expect(shape(missing.body, missingId)).toEqual(shape(res.body, named));
    expect(app.state.dump()).toEqual(before);
  });

  it('with the Demo key does what it says', async () => {
    const res = await send(c, DEMO_KEY, DEMO_IDS);
    expect(res.status, res.raw).toBe(c.demo ?? 200);
  });
});

describe("another project's own records", () => {
  it('are what its key sees', async () => {
    const other = client(app, OTHER_KEY);
    expect((await other.get(`${V}/${proxy.umbrellaPhone}`)).status).toBe(200);
    expect((await other.get(`${V}/${proxy.umbrellaWaba}/flows`)).body.data.map((f: { id: string }) => f.id)).toEqual([proxy.flows.umbrellaReminder]);
    expect((await other.get(`${V}/${proxy.media.umbrellaForm}?phone_number_id=${proxy.umbrellaPhone}`)).status).toBe(200);
    const demo = client(app, DEMO_KEY);
    expect((await demo.get(`${V}/${proxy.umbrellaPhone}`)).status).toBe(404);
    expect((await demo.get(`${V}/${proxy.flows.umbrellaReminder}`)).status).toBe(404);
  });

  it('a download link works for whoever holds it, and names nothing else', async () => {
    const other = client(app, OTHER_KEY);
    const meta = (await other.get(`${V}/${proxy.media.umbrellaForm}?phone_number_id=${proxy.umbrellaPhone}`)).body;
    const link = new URL(meta.download_url);
    const res = await app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
  });
});
