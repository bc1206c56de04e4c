// The broad table: one representative operation per resource family and surface (a get, a
// filtered list, a create or send, an update), each checked once before it is measured. They run
// against a sandbox seeded from the Demo Project (POST /__admin/projects {"seed":true}), so the
// seed records exist under the same IDs and the writes do not pile up in the Demo Project.
// See docs/benchmark.md "The broad table".
import type { Client, Request } from 'autocannon';
import type { Plan } from './load.js';
import type { ServerProcess } from './processes.js';

export type Op = 'get' | 'list' | 'create' | 'update';
export type Method = 'GET' | 'PUT' | 'PATCH' | 'POST';

export interface BroadCase {
  id: string;
  family: string;
  surface: 'v1' | 'proxy';
  op: Op;
  method: Method;
  /** The request as the docs show it (IDs abbreviated). */
  request: string;
  /** A plan for one run, on the sandbox. */
  plan: (sandbox: Sandbox) => Plan;
}

/** A sandbox project seeded from the Demo Project: its ID and key. */
export interface Sandbox { id: string; key: string }

const AGENT = 'a1000000-0000-4000-8000-000000000001';
const LINK = 'd1000000-0000-4000-8000-000000000001';
const CUSTOMER = 'c1000000-0000-4000-8000-000000000001';
const CONFIG = 'b1000000-0000-4000-8000-000000000001';
const CONTACT_PHONE = '15550102030';
const CONVERSATION = 'ca100000-0000-4000-8000-000000000001';
const TEMPLATE = '7e100000-0000-4000-8000-000000000001';
const FLOW = 'f1000000-0000-4000-8000-000000000001';
const PHONE = '106540352242922';
const WABA = '102290129340398';
const MEDIA = '7100000000001001';
const V = '/meta/whatsapp/v24.0';

const runTag = Date.now().toString(36);
let sequence = 0;
/** A value no other request of this process sends. */
const unique = () => `${runTag}-${++sequence}`;
/** Digits no other request of this process sends (phone numbers). */
let phoneSeq = 0;
const uniquePhone = () => `1777${String(Date.now() % 1e5).padStart(5, '0')}${String(++phoneSeq).padStart(6, '0')}`;

const keyed = (key: string) => ({ 'x-api-key': key });
const jsonKeyed = (key: string) => ({ 'x-api-key': key, 'content-type': 'application/json' });

const get = (path: string | ((s: Sandbox) => string)) => ({ key, ...sandbox }: Sandbox): Plan => ({ options: { requests: [{ method: 'GET', path: typeof path === 'string' ? path : path({ key, ...sandbox }), headers: keyed(key) }] } });
/** A write whose body is built anew for every request (unique values, so every request writes). */
const write = (method: Method, path: string, body: () => unknown) => ({ key }: Sandbox): Plan => ({
  options: {
    requests: [{
      method, path, headers: jsonKeyed(key),
      setupRequest: (request: Request) => ({ ...request, body: JSON.stringify(body()) }),
    }],
  },
});

const BOUNDARY = 'kapsomockbench';
/** A 1x1 PNG, as multipart/form-data with the SDK's fields. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const multipart = Buffer.concat([
  Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="messaging_product"\r\n\r\nwhatsapp\r\n`
    + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="type"\r\n\r\nimage/png\r\n`
    + `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="pixel.png"\r\nContent-Type: image/png\r\n\r\n`),
  PNG,
  Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
]);

/** Conversation status changes: each connection toggles its own conversation (active <-> ended), so every request writes. */
const conversationToggle = (conversations: string[]) => ({ key }: Sandbox): Plan => {
  let next = 0;
  const setupClient = (client: Client) => {
    const id = conversations[next++ % conversations.length]!;
    const body = (status: string) => JSON.stringify({ whatsapp_conversation: { status } });
    const req = (status: string): Request => ({ method: 'PATCH', path: `/api/v1/whatsapp_conversations/${id}`, headers: jsonKeyed(key), body: body(status) });
    client.setRequests([req('ended'), req('active')]);
  };
  return { options: { setupClient } };
};

export const BROAD_CASES: BroadCase[] = [
  // v1: agents
  { id: 'agents.get', family: 'agents', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/agents/{id}', plan: get(`/api/v1/agents/${AGENT}`) },
  { id: 'agents.list', family: 'agents', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/agents?per_page=20', plan: get('/api/v1/agents?per_page=20') },
  { id: 'agents.create', family: 'agents', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/agents {"agent":{"name"}}', plan: write('POST', '/api/v1/agents', () => ({ agent: { name: `Bench agent ${unique()}` } })) },
  { id: 'agents.update', family: 'agents', surface: 'v1', op: 'update', method: 'PATCH', request: 'PATCH /api/v1/agents/{id} {"agent":{"name"}}', plan: write('PATCH', `/api/v1/agents/${AGENT}`, () => ({ agent: { name: `Support ${unique()}` } })) },
  // v1: customers
  { id: 'customers.get', family: 'customers', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/customers/{id}', plan: get(`/api/v1/customers/${CUSTOMER}`) },
  { id: 'customers.list', family: 'customers', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/customers?q[name_cont]=acme', plan: get('/api/v1/customers?q[name_cont]=acme&per_page=20') },
  { id: 'customers.create', family: 'customers', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/customers', plan: write('POST', '/api/v1/customers', () => ({ customer: { name: 'Bench Customer', external_customer_id: `B-${unique()}` } })) },
  { id: 'customers.update', family: 'customers', surface: 'v1', op: 'update', method: 'PATCH', request: 'PATCH /api/v1/customers/{id} {"customer":{"name"}}', plan: write('PATCH', `/api/v1/customers/${CUSTOMER}`, () => ({ customer: { name: `Acme ${unique()}` } })) },
  // v1: WhatsApp configs
  { id: 'configs.get', family: 'whatsapp_configs', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/whatsapp_configs/{id}', plan: get(`/api/v1/whatsapp_configs/${CONFIG}`) },
  { id: 'configs.list', family: 'whatsapp_configs', surface: 'v1', op: 'list', method: 'GET', request: `GET /api/v1/whatsapp_configs?q[business_account_id_eq]=...`, plan: get(`/api/v1/whatsapp_configs?q[business_account_id_eq]=${WABA}`) },
  {
    id: 'configs.create', family: 'whatsapp_configs', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/customers/{id}/whatsapp_configs',
    plan: write('POST', `/api/v1/customers/${CUSTOMER}/whatsapp_configs`, () => {
      const n = unique();
      return { whatsapp_config: { name: `Line ${n}`, phone_number_id: uniquePhone(), business_account_id: WABA, access_token: `EAAG${n.replace(/-/g, '')}`, webhook_verify_token: `v-${n}` } };
    }),
  },
  { id: 'configs.update', family: 'whatsapp_configs', surface: 'v1', op: 'update', method: 'PATCH', request: 'PATCH /api/v1/whatsapp_configs/{id} {"whatsapp_config":{"name"}}', plan: write('PATCH', `/api/v1/whatsapp_configs/${CONFIG}`, () => ({ whatsapp_config: { name: `Acme Support ${unique()}` } })) },
  // v1: agent links (the seed PUT is in the core table)
  { id: 'links.get', family: 'agent_whatsapp_configs', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/agents/{id}/agent_whatsapp_configs/{id}', plan: get(`/api/v1/agents/${AGENT}/agent_whatsapp_configs/${LINK}`) },
  { id: 'links.list', family: 'agent_whatsapp_configs', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/agents/{id}/agent_whatsapp_configs', plan: get(`/api/v1/agents/${AGENT}/agent_whatsapp_configs`) },
  // v1: projects
  { id: 'projects.get', family: 'projects', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/projects/{id}', plan: get((s) => `/api/v1/projects/${s.id}`) },
  // v1: conversations
  { id: 'conversations.get', family: 'whatsapp_conversations', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/whatsapp_conversations/{id}', plan: get(`/api/v1/whatsapp_conversations/${CONVERSATION}`) },
  { id: 'conversations.list', family: 'whatsapp_conversations', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/whatsapp_conversations?q[status_eq]=active', plan: get('/api/v1/whatsapp_conversations?q[status_eq]=active') },
  {
    id: 'conversations.update', family: 'whatsapp_conversations', surface: 'v1', op: 'update', method: 'PATCH', request: 'PATCH /api/v1/whatsapp_conversations/{id} {"whatsapp_conversation":{"status"}} (ended, active, ...)',
    plan: conversationToggle(['ca100000-0000-4000-8000-000000000002', 'ca100000-0000-4000-8000-000000000003', 'ca100000-0000-4000-8000-000000000007', 'ca100000-0000-4000-8000-000000000008']),
  },
  // v1: messages
  { id: 'messages.list', family: 'whatsapp_messages', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/whatsapp_conversations/{id}/whatsapp_messages', plan: get(`/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`) },
  {
    id: 'messages.create', family: 'whatsapp_messages', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/whatsapp_conversations/{id}/whatsapp_messages (text)',
    plan: write('POST', `/api/v1/whatsapp_conversations/${CONVERSATION}/whatsapp_messages`, () => ({ message: { message_type: 'text', content: `Your order ships today (${unique()})` } })),
  },
  // v1: contacts
  { id: 'contacts.get', family: 'whatsapp_contacts', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/whatsapp_contacts/{phone}', plan: get(`/api/v1/whatsapp_contacts/${CONTACT_PHONE}`) },
  { id: 'contacts.list', family: 'whatsapp_contacts', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/whatsapp_contacts?q[profile_name_cont]=maria', plan: get('/api/v1/whatsapp_contacts?q[profile_name_cont]=maria') },
  { id: 'contacts.create', family: 'whatsapp_contacts', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/whatsapp_contacts', plan: write('POST', '/api/v1/whatsapp_contacts', () => ({ contact: { wa_id: uniquePhone(), profile_name: 'Bench Contact' } })) },
  { id: 'contacts.update', family: 'whatsapp_contacts', surface: 'v1', op: 'update', method: 'PATCH', request: 'PATCH /api/v1/whatsapp_contacts/{phone} {"contact":{"profile_name"}}', plan: write('PATCH', `/api/v1/whatsapp_contacts/${CONTACT_PHONE}`, () => ({ contact: { profile_name: `Maria ${unique()}` } })) },
  // v1: templates
  { id: 'templates.get', family: 'whatsapp_templates', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/whatsapp_templates/{id}', plan: get(`/api/v1/whatsapp_templates/${TEMPLATE}`) },
  { id: 'templates.list', family: 'whatsapp_templates', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/whatsapp_templates?q[status_eq]=approved', plan: get('/api/v1/whatsapp_templates?q[status_eq]=approved') },
  {
    id: 'templates.send', family: 'whatsapp_templates', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/whatsapp_templates/{id}/send_template',
    plan: write('POST', `/api/v1/whatsapp_templates/${TEMPLATE}/send_template`, () => ({ template: { phone_number: '+1 (555) 010-2030', template_parameters: ['Maria', `ACME-${unique()}`] } })),
  },
  // v1: flows and their executions
  { id: 'flows.get', family: 'flows', surface: 'v1', op: 'get', method: 'GET', request: 'GET /api/v1/flows/{id}', plan: get(`/api/v1/flows/${FLOW}`) },
  { id: 'flows.list', family: 'flows', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/flows?q[status_eq]=active', plan: get('/api/v1/flows?q[status_eq]=active') },
  { id: 'executions.list', family: 'flow_executions', surface: 'v1', op: 'list', method: 'GET', request: 'GET /api/v1/flows/{id}/executions?q[status_eq]=ended', plan: get(`/api/v1/flows/${FLOW}/executions?q[status_eq]=ended`) },
  {
    id: 'executions.create', family: 'flow_executions', surface: 'v1', op: 'create', method: 'POST', request: 'POST /api/v1/flows/{id}/executions',
    plan: write('POST', `/api/v1/flows/${FLOW}/executions`, () => ({ phone_number: '+14155550190', variables: { order_id: `ORD-${unique()}` } })),
  },
  // Meta proxy: phone numbers
  { id: 'proxy.phone.get', family: 'phone_numbers', surface: 'proxy', op: 'get', method: 'GET', request: 'GET /meta/whatsapp/v24.0/{phone_number_id}', plan: get(`${V}/${PHONE}`) },
  { id: 'proxy.phone.list', family: 'phone_numbers', surface: 'proxy', op: 'list', method: 'GET', request: 'GET /meta/whatsapp/v24.0/{waba_id}/phone_numbers', plan: get(`${V}/${WABA}/phone_numbers`) },
  {
    id: 'proxy.phone.update', family: 'phone_numbers', surface: 'proxy', op: 'update', method: 'POST', request: 'POST /meta/whatsapp/v24.0/{phone_number_id}/settings {"fallback_language"}',
    plan: (sandbox) => {
      let flip = 0;
      return write('POST', `${V}/${PHONE}/settings`, () => ({ fallback_language: ++flip % 2 ? 'es_ES' : 'en_US' }))(sandbox);
    },
  },
  // Meta proxy: media
  { id: 'proxy.media.get', family: 'media', surface: 'proxy', op: 'get', method: 'GET', request: 'GET /meta/whatsapp/v24.0/{media_id}?phone_number_id=...', plan: get(`${V}/${MEDIA}?phone_number_id=${PHONE}`) },
  {
    id: 'proxy.media.create', family: 'media', surface: 'proxy', op: 'create', method: 'POST', request: 'POST /meta/whatsapp/v24.0/{phone_number_id}/media (multipart, 68-byte PNG)',
    plan: ({ key }) => ({ options: { requests: [{ method: 'POST', path: `${V}/${PHONE}/media`, headers: { ...keyed(key), 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body: multipart }] } }),
  },
  // Meta proxy: blocked users
  { id: 'proxy.block.list', family: 'blocked_users', surface: 'proxy', op: 'list', method: 'GET', request: 'GET /meta/whatsapp/v24.0/{phone_number_id}/block_users', plan: get(`${V}/${PHONE}/block_users`) },
  {
    id: 'proxy.block.create', family: 'blocked_users', surface: 'proxy', op: 'create', method: 'POST', request: 'POST /meta/whatsapp/v24.0/{phone_number_id}/block_users',
    plan: write('POST', `${V}/${PHONE}/block_users`, () => ({ messaging_product: 'whatsapp', block_users: [{ user: uniquePhone() }] })),
  },
];

/** Sends each case's request once (with the sandbox's key) and fails with its answer when it is not a 2xx. */
export async function checkBroadCases(server: ServerProcess, sandbox: Sandbox, cases: BroadCase[]): Promise<void> {
  for (const c of cases) {
    const plan = c.plan(sandbox);
    const setup = plan.options.setupClient;
    let requests: Request[] = plan.options.requests ?? [];
    // A case that gives each connection its own sequence (a toggle): send the whole sequence, which leaves the record as it was.
    if (setup) setup({ setRequests: (r: Request[]) => (requests = r) } as unknown as Client);
    if (requests.length === 0) throw new Error(`${c.id}: no request`);
    for (let request of requests) {
      if (request.setupRequest) request = request.setupRequest(request, {}) ?? request;
      const res = await fetch(server.url + request.path, { method: request.method ?? 'GET', headers: request.headers ?? {}, ...(request.body !== undefined && { body: request.body }) });
      const text = await res.text();
      if (res.status < 200 || res.status > 299) throw new Error(`${server.name}: broad case ${c.id} (${request.method} ${request.path}) answered ${res.status}: ${text.slice(0, 400)}`);
    }
  }
}
