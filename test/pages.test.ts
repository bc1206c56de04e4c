// The pages a person opens in a browser: the home page, the two reference pages and their
// documents, the admin index. They show the address they are served on, the seeded keys only
// when they are the bundled (public) ones, and "Try it out" works with the seeded IDs.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startKapsoMock, type KapsoMock } from '../src/index.js';
import { client, DEMO_KEY, makeApp } from './helpers/app.js';

const committed = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8')) as {
  components: { securitySchemes: Record<string, unknown> };
  paths: Record<string, Record<string, { operationId: string; summary?: string; parameters?: { in: string; name: string; schema: { example?: string } }[] }>>;
};
const OWN_FIXTURES = new URL('../fixtures/02-other-project.json', import.meta.url).pathname;

const mocks: KapsoMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});

describe('GET /docs/json and GET /__admin/docs/json', () => {
  it("/docs shows Kapso's operations and the address it is served on", async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/docs/json', headers: { host: 'localhost:5555' } });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.info.title).toBe('kapso-mock: Kapso External API');
    expect(doc.info.description).toContain('Point a client at http://localhost:5555/api/v1 with one of the seeded keys');
    expect(doc.info.description).not.toContain('127.0.0.1:4400');
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/__admin'))).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['ApiKeyAuth']);
  });

  it('over a real socket, the address is the one the server listens on', async () => {
    const mock = await startKapsoMock();
    mocks.push(mock);
    const doc = (await (await fetch(`${mock.origin}/docs/json`)).json()) as { info: { description: string } };
    expect(doc.info.description).toContain(`Point a client at ${mock.url} with`);
  });

  it('a Host header that is not a host name falls back to the default address', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/docs/json', headers: { host: 'x"><script>alert(1)</script>' } });
    expect(res.json().info.description).toContain('Point a client at http://127.0.0.1:4400/api/v1 with');
  });

  it('/__admin/docs has its own title, description, operations and security scheme', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__admin/docs/json', headers: { host: 'mock.test:4401' } });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.info.title).toBe('kapso-mock: admin API (control plane)');
    expect(doc.info.description).toMatch(/^The mock's own control plane at http:\/\/mock\.test:4401\/__admin, not part of Kapso's API/);
    expect(doc.info.description).toContain('An index of these operations: http://mock.test:4401/__admin.');
    expect(Object.keys(doc.paths).length).toBeGreaterThan(0);
    expect(Object.keys(doc.paths).filter((p) => !p.startsWith('/__admin'))).toEqual([]);
    expect(doc.components.securitySchemes).toEqual({ AdminToken: committed.components.securitySchemes.AdminToken });
  });

  it('the pages carry their own titles', async () => {
    const app = await makeApp();
    const docs = await app.inject({ method: 'GET', url: '/docs' });
    const admin = await app.inject({ method: 'GET', url: '/__admin/docs' });
    expect(docs.body).toContain("<title>kapso-mock: Kapso's API</title>");
    expect(docs.body).toContain("url: '/docs/json'");
    expect(admin.body).toContain('<title>kapso-mock: admin API</title>');
    expect(admin.body).toContain("url: '/__admin/docs/json'");
  });
});

describe('"Try it out" on /docs', () => {
  const operations = Object.entries(committed.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));

  it('every path parameter has a seeded ID as its example', () => {
    const params = operations.flatMap(({ op }) => (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => `${op.operationId} ${p.name}`));
    expect(params.length).toBeGreaterThan(0);
    const missing = operations.flatMap(({ op }) => (op.parameters ?? []).filter((p) => p.in === 'path' && !p.schema.example).map((p) => `${op.operationId} ${p.name}`));
    expect(missing).toEqual([]);
  });

  it('every GET operation answers 200 with its examples and the Demo key', async () => {
    const api = client(await makeApp());
    const gets = operations.filter((o) => o.method === 'get');
    expect(gets.length).toBeGreaterThan(5);
    const statuses = [];
    for (const { path, op } of gets) {
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => op.parameters!.find((p) => p.name === name)!.schema.example!);
      statuses.push(`${op.operationId} ${(await api.get(url)).status}`);
    }
    expect(statuses).toEqual(gets.map(({ op }) => `${op.operationId} 200`));
  });

  it('is authorised with the Demo Project key when the bundled fixtures are in use', async () => {
    const res = await (await makeApp()).inject({ method: 'GET', url: '/docs' });
    expect(res.body).toContain(`window.ui.preauthorizeApiKey('ApiKeyAuth', "${DEMO_KEY}")`);
  });

  it.each([
    ['a key of your own for the Demo Project', { apiKey: 'my-secret-key' }],
    ['fixtures of your own', { fixturesPath: OWN_FIXTURES }],
  ])('never with %s', async (_case, overrides) => {
    const res = await (await makeApp(overrides)).inject({ method: 'GET', url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('preauthorizeApiKey');
    expect(res.body).not.toContain('my-secret-key');
  });
});

describe('GET / (the home page)', () => {
  it('a browser gets a small HTML page linking the docs, the admin API and the seeded keys', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/', headers: { host: 'localhost:4400', accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    for (const link of ['href="/__inspector/"', 'href="/docs"', 'href="/__admin/docs"', 'href="/__admin"', 'href="/openapi.json"', 'href="/health"']) expect(res.body).toContain(link);
    expect(res.body).toContain('<code>http://localhost:4400/api/v1</code>');
    expect(res.body).toContain('<tr><td>Demo Project</td><td><code>kapso-demo-key</code></td></tr>');
    expect(res.body).toContain('<tr><td>Other Project</td><td><code>kapso-other-key</code></td></tr>');
  });

  it('a client asking for JSON gets the same as JSON', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/', headers: { host: 'localhost:4400', accept: 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const origin = 'http://localhost:4400';
    expect(res.json()).toEqual({
      data: {
        name: 'kapso-mock',
        version: expect.any(String),
        links: {
          api: `${origin}/api/v1`, docs: `${origin}/docs`, openapi: `${origin}/openapi.json`,
          admin: `${origin}/__admin`, admin_docs: `${origin}/__admin/docs`, inspector: `${origin}/__inspector/`, health: `${origin}/health`,
        },
        keys: [{ project: 'Demo Project', api_key: 'kapso-demo-key' }, { project: 'Other Project', api_key: 'kapso-other-key' }],
      },
    });
  });

  it.each([
    ['a key of your own for the Demo Project', { apiKey: 'my-secret-key' }, [{ project: 'Other Project', api_key: 'kapso-other-key' }]],
    ['fixtures of your own', { fixturesPath: OWN_FIXTURES }, []],
  ])('shows no key but the bundled, public ones: %s', async (_case, overrides, keys) => {
    const app = await makeApp(overrides);
    const json = await app.inject({ method: 'GET', url: '/', headers: { accept: 'application/json' } });
    expect(json.json().data.keys).toEqual(keys);
    const html = await app.inject({ method: 'GET', url: '/' });
    expect(html.body).not.toContain('my-secret-key');
    expect(html.body).not.toContain('kapso-demo-key');
  });
});

describe('GET /__admin', () => {
  it('is an index of the admin API, open like its reference page', async () => {
    const app = await makeApp({ adminToken: 'tok' });
    const res = await app.inject({ method: 'GET', url: '/__admin', headers: { host: 'localhost:4400' } });
    expect(res.statusCode).toBe(200);
    const { data } = res.json();
    expect(data).toMatchObject({ docs: 'http://localhost:4400/__admin/docs', openapi: 'http://localhost:4400/__admin/docs/json', token_required: true });
    const expected = Object.entries(committed.paths).filter(([p]) => p.startsWith('/__admin')).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method: method.toUpperCase(), path, operation_id: op.operationId, summary: op.summary ?? '' })));
    expect(data.operations).toEqual(expected);
    expect(data.operations).toContainEqual(expect.objectContaining({ method: 'POST', path: '/__admin/reset', operation_id: 'adminReset' }));
  });
});
