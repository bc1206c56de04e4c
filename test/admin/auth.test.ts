// The admin API is its own section of the contract and, with KAPSO_MOCK_ADMIN_TOKEN, needs
// `Authorization: Bearer <token>` on every operation (the docs page excepted). Every admin
// operation is taken from the generated document, so a new one cannot be left unprotected.
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderOpenApiYaml } from '../../src/openapi.js';
import { client, DEMO_KEY, ids, makeApp, MISSING_ID } from '../helpers/app.js';
import { seed } from '../helpers/seed.js';

const ACME_PHONE = String(seed.find('whatsappConfigs', 'Acme Support').record.phone_number_id);

const TOKEN = 's3cret-token';
const UNAUTHORIZED = { error: 'Invalid or missing admin token' };

/** A request for each admin operation and what it answers with the right token on a fresh app. */
const CALLS: Record<string, { body?: unknown; query?: string; params?: Record<string, string>; status: number }> = {
  adminReset: { status: 200 },
  adminCreateSnapshot: { body: { name: 'snap' }, status: 201 },
  adminListSnapshots: { status: 200 },
  adminRestoreSnapshot: { params: { name: 'missing' }, status: 404 },
  adminDeleteSnapshot: { params: { name: 'missing' }, status: 404 },
  adminLoadFixtures: { body: { projects: [] }, status: 200 },
  adminCreateProject: { body: {}, status: 201 },
  adminListProjects: { status: 200 },
  adminDeleteProject: { params: { project_id: MISSING_ID }, status: 404 },
  adminListRequests: { query: 'limit=5', status: 200 },
  adminCountRequests: { status: 200 },
  adminWaitForRequests: { body: { timeout_ms: 0 }, status: 200 },
  adminClearRequests: { status: 204 },
  adminAddFault: { body: { path: '/api/v1/agents', status: 503 }, status: 201 },
  adminListFaults: { status: 200 },
  adminDeleteFault: { params: { id: MISSING_ID }, status: 404 },
  adminClearFaults: { status: 204 },
  adminGetSettings: { status: 200 },
  adminUpdateSettings: { body: {}, status: 200 },
  adminGetClock: { status: 200 },
  adminSetClock: { body: { advance_ms: 0 }, status: 200 },
  adminResetClock: { status: 200 },
  adminSetFlowExecutionStatus: { params: { id: MISSING_ID }, body: { status: 'ended' }, status: 404 },
  adminActivateSandboxSession: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminGetAgentSettings: { params: { project_id: ids.demoProject }, status: 200 },
  adminUpdateAgentSettings: { params: { project_id: ids.demoProject }, body: {}, status: 200 },
  adminSetTestChatStatus: { params: { id: MISSING_ID }, body: { status: 'completed' }, status: 404 },
  adminRunTestRun: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminSimulateInboundMessage: { body: { phone_number: '+1 555 019 0009', content: 'Hello' }, status: 201 },
  adminSetMessageStatus: { params: { id: MISSING_ID }, body: { status: 'delivered' }, status: 404 },
  adminEndConversation: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminReviewTemplate: { params: { id: MISSING_ID }, body: { status: 'approved' }, status: 404 },
  adminSetMarketingPreference: { params: { wa_id: '15550199999' }, body: { stopped: true }, status: 404 },
  adminRingCall: { body: { phone_number_id: ACME_PHONE, from: '15550100001' }, status: 201 },
  adminSetCallStatus: { params: { call_id: 'wacid.missing' }, body: { status: 'ringing' }, status: 404 },
  adminGrantCallPermission: { body: { phone_number_id: ACME_PHONE, user_wa_id: '15550100002' }, status: 201 },
  adminSetExecutionStatus: { params: { id: MISSING_ID }, body: { status: 'ended' }, status: 404 },
  adminListProjectUsers: { params: { project_id: ids.demoProject }, status: 200 },
  adminCreateProjectUser: { params: { project_id: ids.demoProject }, body: { name: 'Rosa Delgado', email: 'rosa@acme.example' }, status: 201 },
  adminListWebhookDeliveries: { status: 200 },
  adminWaitForWebhookDeliveries: { body: { timeout_ms: 0, count: 1 }, status: 200 },
  adminRedeliverWebhook: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminTestWebhook: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminListAgentWebhooks: { params: { agent_id: ids.supportAgent }, status: 200 },
  adminCreateAgentWebhook: { params: { agent_id: ids.supportAgent }, body: { url: 'http://127.0.0.1:9/agent', secret_key: 'agent-secret' }, status: 201 },
  adminUpdateAgentWebhook: { params: { id: MISSING_ID }, body: {}, status: 404 },
  adminDeleteAgentWebhook: { params: { id: MISSING_ID }, status: 404 },
  adminGetProject: { params: { project_id: ids.demoProject }, status: 200 },
  adminListProjectWhatsappConfigs: { params: { project_id: ids.demoProject }, status: 200 },
  adminListConversations: { params: { project_id: ids.demoProject }, status: 200 },
  adminGetConversation: { params: { project_id: ids.demoProject, conversation_id: MISSING_ID }, status: 404 },
  adminListConversationMessages: { params: { project_id: ids.demoProject, conversation_id: MISSING_ID }, status: 404 },
  adminListContacts: { params: { project_id: ids.demoProject }, status: 200 },
  adminListConversationAgentExecutions: { params: { project_id: ids.demoProject, conversation_id: MISSING_ID }, status: 404 },
  adminListProjectWhatsappWebhooks: { params: { project_id: ids.demoProject, whatsapp_config_id: ids.acmeSupport }, status: 200 },
  adminGetRequest: { params: { id: '999999' }, status: 404 },
  adminStreamEvents: { query: 'follow=false', status: 200 },
};

interface Op {
  method: string;
  path: string;
  operationId: string;
  tags: string[];
  security: unknown;
}

let doc: any;
let adminOps: Op[];
beforeAll(async () => {
  doc = parse(await renderOpenApiYaml());
  adminOps = Object.entries<any>(doc.paths)
    .filter(([path]) => path.startsWith('/__admin'))
    .flatMap(([path, item]) =>
      Object.entries<any>(item).map(([method, op]) => ({ method: method.toUpperCase(), path, operationId: op.operationId, tags: op.tags, security: op.security })),
    );
});

const urlOf = (op: Op) => {
  const call = CALLS[op.operationId]!;
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => call.params?.[name] ?? 'x');
  return call.query ? `${path}?${call.query}` : path;
};

async function each(fn: (op: Op) => Promise<void>) {
  for (const op of adminOps) {
    try {
      await fn(op);
    } catch (err) {
      throw new Error(`${op.method} ${op.path} (${op.operationId}): ${(err as Error).message}`);
    }
  }
}

describe('the generated document', () => {
  it('has every admin operation this file exercises, and no other', () => {
    expect(adminOps.map((o) => o.operationId).sort()).toEqual(Object.keys(CALLS).sort());
  });

  it('puts every admin operation under the tag "Admin" with the AdminToken security', () => {
    expect(adminOps.length).toBeGreaterThan(0);
    for (const op of adminOps) {
      expect({ op: op.operationId, tags: op.tags, security: op.security }).toEqual({ op: op.operationId, tags: ['Admin'], security: [{ AdminToken: [] }] });
    }
    expect(doc.components.securitySchemes.AdminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('has no admin operation under /api/v1 and no Kapso operation under /__admin', () => {
    const ops = Object.entries<any>(doc.paths).flatMap(([path, item]) => Object.values<any>(item).map((op) => ({ path, op })));
    for (const { path, op } of ops) {
      const isAdmin = op.tags?.includes('Admin') || String(op.operationId).startsWith('admin');
      expect(`${path} ${isAdmin ? 'admin' : 'kapso'}`).toBe(`${path} ${path.startsWith('/__admin') ? 'admin' : 'kapso'}`);
      if (path.startsWith('/api/v1/')) expect(op.security ?? doc.security).toEqual([{ ApiKeyAuth: [] }]);
    }
  });
});

describe('without an admin token', () => {
  it('every admin operation is open', async () => {
    const app = await makeApp();
    const admin = client(app, null);
    await each(async (op) => {
      const res = await admin.call(op.method as any, urlOf(op), { body: CALLS[op.operationId]!.body });
      expect(res.status).toBe(CALLS[op.operationId]!.status);
    });
  });
});

describe('with an admin token', () => {
  it.each([
    ['no Authorization header', undefined],
    ['a wrong token', 'Bearer wrong-token'],
    ['the token with a different case', 'Bearer S3CRET-TOKEN'],
    ['the token as Basic credentials', `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}`],
    ['the bare token', TOKEN],
    ['an empty Bearer', 'Bearer '],
    ['the token with something after it', `Bearer ${TOKEN}x`],
  ])('every admin operation is 401 with %s', async (_case, authorization) => {
    const app = await makeApp({ adminToken: TOKEN });
    const admin = client(app, null);
    await each(async (op) => {
      const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
      const res = await admin.call(op.method as any, urlOf(op), { body: CALLS[op.operationId]!.body, headers });
      expect(res.status).toBe(401);
      expect(res.body).toEqual(UNAUTHORIZED);
    });
  });

  it('every admin operation works with "Bearer <token>"', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const admin = client(app, null);
    await each(async (op) => {
      const res = await admin.call(op.method as any, urlOf(op), { body: CALLS[op.operationId]!.body, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(CALLS[op.operationId]!.status);
    });
  });

  it('every admin operation works with the inspector\'s session cookie instead (docs/inspector.md)', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const login = await app.inject({ method: 'POST', url: '/__inspector/session', headers: { host: '127.0.0.1:4400' }, payload: { token: TOKEN } });
    expect(login.statusCode).toBe(204);
    const cookie = String(login.headers['set-cookie']).split(';', 1)[0]!;
    const admin = client(app, null);
    await each(async (op) => {
      const res = await admin.call(op.method as any, urlOf(op), { body: CALLS[op.operationId]!.body, headers: { cookie, host: '127.0.0.1:4400' } });
      expect(res.status).toBe(CALLS[op.operationId]!.status);
    });
  });

  it('accepts the scheme in any case ("bearer"), as HTTP auth schemes are case-insensitive', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const res = await client(app, null).get('/__admin/settings', { headers: { authorization: `bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  it('a refused call changes nothing', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const api = client(app);
    const admin = client(app, null);
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    await admin.post('/__admin/faults', { path: '/api/v1/customers', status: 503 }, auth);
    await api.get('/api/v1/agents');
    const before = app.state.dump();
    await api.post('/api/v1/customers', { customer: { name: 'X', external_customer_id: 'X-1' } });

    expect((await admin.post('/__admin/reset')).status).toBe(401);
    expect((await admin.delete('/__admin/faults')).status).toBe(401);
    expect((await admin.delete('/__admin/requests')).status).toBe(401);
    expect((await admin.patch('/__admin/settings', { rate_limit: 1 })).status).toBe(401);
    expect((await admin.post('/__admin/clock', { now: '2026-01-01T00:00:00Z' })).status).toBe(401);

    expect(app.state.dump()).toEqual(before);
    expect((await admin.get('/__admin/faults', auth)).body.data).toHaveLength(1);
    expect((await admin.get('/__admin/requests/count', auth)).body).toEqual({ data: { count: 2 } });
    expect((await admin.get('/__admin/settings', auth)).body.data.rate_limit).toBe(0);
    expect((await admin.get('/__admin/clock', auth)).body.data.mode).toBe('real');
  });

  it('an unknown admin route is the 404 envelope, token or not (the routes are public in the document)', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await app.inject({ method: 'GET', url: '/__admin/nothing', headers });
      expect(res.statusCode).toBe(404);
      expect(JSON.parse(res.body)).toEqual({ error: 'Not found', message: 'No route matches GET /__admin/nothing' });
    }
  });

  it('/__admin/docs and its document are reachable without the token', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const page = await app.inject({ method: 'GET', url: '/__admin/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('swagger-ui');
    const json = await app.inject({ method: 'GET', url: '/__admin/docs/json' });
    expect(json.statusCode).toBe(200);
    expect(Object.keys(JSON.parse(json.body).paths).length).toBeGreaterThan(0);
  });

  it('/api/v1 is unaffected: the API key is enough, the admin token is neither needed nor a key', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const api = client(app);
    const res = await api.get(`/api/v1/agents/${ids.supportAgent}`);
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(ids.supportAgent);
    const asKey = await api.get('/api/v1/agents', { key: TOKEN });
    expect(asKey.status).toBe(401);
    expect(asKey.body).toEqual({ error: 'Invalid or missing API key' });
    const bearer = await client(app, null).get('/api/v1/agents', { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(bearer.status).toBe(401);
    expect(bearer.body).toEqual({ error: 'Invalid or missing API key' });
    expect((await client(app, null).get('/health')).status).toBe(200);
  });

  it('an API key is not an admin token', async () => {
    const app = await makeApp({ adminToken: TOKEN });
    const res = await client(app, DEMO_KEY).get('/__admin/settings', { headers: { authorization: `Bearer ${DEMO_KEY}` } });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
  });
});

describe('the two reference pages', () => {
  it('/docs (Kapso\'s API) lists no /__admin path; /__admin/docs lists only /__admin paths, all of them', async () => {
    const app = await makeApp();
    const kapso = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(kapso.statusCode).toBe(200);
    const kapsoPaths = Object.keys(JSON.parse(kapso.body).paths);
    expect(kapsoPaths.length).toBeGreaterThan(0);
    expect(kapsoPaths.filter((p) => p.startsWith('/__admin'))).toEqual([]);
    // Kapso's two doors (/api/v1 and the Meta proxy) and the health check.
    expect(kapsoPaths.filter((p) => !p.startsWith('/api/v1/') && !p.startsWith('/meta/whatsapp/'))).toEqual(['/health']);

    const adminDoc = await app.inject({ method: 'GET', url: '/__admin/docs/json' });
    expect(adminDoc.statusCode).toBe(200);
    const adminPaths = Object.keys(JSON.parse(adminDoc.body).paths);
    expect(adminPaths.filter((p) => !p.startsWith('/__admin'))).toEqual([]);
    expect(adminPaths.sort()).toEqual([...new Set(adminOps.map((o) => o.path))].sort());
  });

  it('/__admin/docs serves an interactive reference', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__admin/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger-ui');
  });
});
