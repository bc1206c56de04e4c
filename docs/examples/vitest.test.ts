// kapso-mock embedded in a vitest suite. The README quotes this file as it is, and the
// project's own `npm test` typechecks and runs it, so the sample cannot drift.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { startKapsoMock, type KapsoMock } from 'kapso-mock';

// The code under test; in your project it comes from your sources, pointed at a base URL.
async function setPrimaryLine(baseUrl: string, apiKey: string): Promise<void> {
  const agent = 'a1000000-0000-4000-8000-000000000001'; // seeded "Customer Support Agent"
  const salesLine = 'd1000000-0000-4000-8000-000000000002'; // its link to "Acme Sales"
  const res = await fetch(`${baseUrl}/agents/${agent}/agent_whatsapp_configs/${salesLine}`, {
    method: 'PUT',
    headers: { 'X-API-Key': apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ agent_whatsapp_config: { is_primary: true } }),
  });
  if (!res.ok) throw new Error(`Kapso answered ${res.status}`);
}

let mock: KapsoMock;
beforeAll(async () => {
  mock = await startKapsoMock(); // a free port, in-memory database, the bundled fixtures
});
afterEach(() => mock.admin.reset()); // every test starts from the fixtures
afterAll(() => mock.close());

it('makes the sales line primary', async () => {
  await setPrimaryLine(mock.url, mock.apiKey); // mock.url is http://127.0.0.1:<port>/api/v1
  const [sent] = await mock.admin.requests({ method: 'PUT', path: '/api/v1/agents/*' });
  expect(sent?.status).toBe(200);
  expect(sent?.body).toEqual({ agent_whatsapp_config: { is_primary: true } });
});
