// The contract document is generated from the code; openapi.yaml must be what the code generates.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderOpenApiYaml } from '../src/openapi.js';
import { client, makeApp } from './helpers/app.js';
import { getContract } from './helpers/contract.js';

const committed = () => readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8');

describe('openapi.yaml', () => {
  it('is exactly what the code generates (run `npm run openapi` after changing routes or schemas)', async () => {
    expect(committed()).toBe(await renderOpenApiYaml());
  });

  it("uses Kapso's operation IDs and tags for the Kapso operations", () => {
    const doc = parse(committed());
    const ops = Object.entries<any>(doc.paths).flatMap(([path, item]) =>
      Object.entries<any>(item).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId} [${op.tags.join(',')}]`),
    );
    expect(ops).toEqual(expect.arrayContaining([
      'PUT /api/v1/agents/{agent_id}/agent_whatsapp_configs/{id} updateAgentWhatsappConfig [Agent WhatsApp Configs]',
      'GET /api/v1/customers listCustomers [Customers]',
      'POST /api/v1/customers/{customer_id}/whatsapp_configs createCustomerWhatsappConfig [WhatsApp Configs]',
      'PATCH /api/v1/agents/{agent_id} updateAgent [Agents]',
      'GET /api/v1/projects/{project_id} getProject [Projects]',
    ]));
    // PUT/PATCH aliases are served but not documented twice.
    expect(doc.paths['/api/v1/agents/{agent_id}/agent_whatsapp_configs/{id}'].patch).toBeUndefined();
  });

  it('never documents access_token in a response', () => {
    const doc = parse(committed());
    const responses = JSON.stringify(Object.values<any>(doc.paths).flatMap((item) => Object.values<any>(item).map((op) => op.responses)));
    expect(responses).not.toContain('access_token');
    expect(JSON.stringify(doc.components.schemas)).not.toContain('access_token');
  });
});

describe('served documents', () => {
  it('GET /openapi.json serves the same document', async () => {
    const res = await client(await makeApp(), null).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(parse(committed()));
  });

  it('GET /docs serves the interactive reference', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('swagger-ui');
  });
});

describe('the contract checker used by every test', () => {
  it('rejects a body that does not match the document', async () => {
    const contract = await getContract();
    const url = '/api/v1/customers/c1000000-0000-4000-8000-000000000001';
    const ok = { data: { id: 'c1000000-0000-4000-8000-000000000001', name: 'A', external_customer_id: 'E', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' } };
    const headers = { 'content-type': 'application/json; charset=utf-8' };
    expect(() => contract.check('GET', url, 200, headers, JSON.stringify(ok))).not.toThrow();
    expect(() => contract.check('GET', url, 200, headers, JSON.stringify({ data: { ...ok.data, access_token: 'x' } }))).toThrow(/additional/);
    expect(() => contract.check('GET', url, 200, headers, JSON.stringify({ data: { ...ok.data, id: 'not-a-uuid' } }))).toThrow(/uuid/);
    expect(() => contract.check('GET', url, 200, headers, JSON.stringify({ data: { ...ok.data, name: null } }))).toThrow(/string/);
    expect(() => contract.check('GET', url, 418, headers, '{"error":"teapot","extra":1}')).toThrow(/additional/);
    expect(() => contract.check('GET', url, 200, { 'content-type': 'text/html' }, '{}')).toThrow(/content type/);
  });
});
