// The Agents and Webhooks panels, which the page shows only when the server's admin index lists
// their routes. Without them (this server today) they stay hidden; with them, here simulated in the
// browser (Playwright answers those routes) in the shapes docs/inspector.md gives, they list what
// the routes answer and call them. The real routes come with the agent executions and the webhook
// deliveries; then these tests can run against them instead of the simulation.
import type { Page, Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ids } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';
import { mock, openInspector, screenshot, useBrowser } from './helpers.js';

useBrowser();

const EXECUTIONS = '/__admin/projects/{project_id}/conversations/{conversation_id}/agent_executions';
const MOVE = '/__admin/executions/{id}/status';
const DELIVERIES = '/__admin/webhook_deliveries';
const REDELIVER = '/__admin/webhook_deliveries/{id}/redeliver';
const TEST_EVENT = '/__admin/webhooks/test';

interface Call { method: string; path: string; body: unknown }

/** Adds routes to the admin index the page reads, and answers them with `answer`; every call is recorded. */
async function simulate(page: Page, operations: { method: string; path: string; operation_id: string }[], answer: (call: Call) => unknown): Promise<Call[]> {
  const calls: Call[] = [];
  await page.route((url) => url.pathname === '/__admin', async (route: Route) => {
    const real = await route.fetch();
    const index = (await real.json()) as { data: { operations: unknown[] } };
    index.data.operations.push(...operations.map((o) => ({ ...o, summary: '' })));
    await route.fulfill({ response: real, json: index });
  });
  const patterns = operations.map((o) => ({ method: o.method, regex: new RegExp(`^${o.path.replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  await page.route((url) => patterns.some((p) => p.regex.test(url.pathname)), async (route: Route) => {
    const request = route.request();
    const url = new URL(request.url());
    const call = { method: request.method(), path: url.pathname, body: request.postDataJSON() as unknown };
    calls.push(call);
    await route.fulfill({ status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(answer(call)) });
  });
  return calls;
}

describe('without their routes', () => {
  it('the Webhooks view and the Agents panel are hidden, and nothing asks for them', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.locator(`a.conversation[data-id="${inbox.mariaOpen}"]`).click();
    await page.locator('.messages .msg').first().waitFor();
    expect(await page.locator('#views a[data-view="webhooks"]').isVisible()).toBe(false);
    expect(await page.locator('section.agents').isVisible()).toBe(false);
    expect(asked.filter((p) => /webhook|execution/.test(p))).toEqual([]);
    // A link to the view falls back to the inbox.
    await page.goto(`${m.origin}/__inspector/#/webhooks/${ids.demoProject}`);
    await expect.poll(() => page.locator('#views a[aria-current="page"]').textContent()).toBe('Inbox');
  });
});

describe('with their routes (simulated)', () => {
  it("Agents: a conversation's executions with pause, hand off with a reason, end and fail", async () => {
    const m = await mock();
    const page = (await openInspector(m, { hash: '#/controls/' })).page;
    let status = 'running';
    let reason: string | null = null;
    const calls = await simulate(page, [
      { method: 'GET', path: EXECUTIONS, operation_id: 'adminListConversationAgentExecutions' },
      { method: 'POST', path: MOVE, operation_id: 'adminSetExecutionStatus' },
    ], (call) => {
      if (call.method === 'POST') {
        ({ status, reason = null } = call.body as { status: string; reason?: string });
        return { data: {} };
      }
      return {
        data: [{
          id: 'e0000000-0000-4000-8000-000000000001', active: status !== 'ended', handoff_reason: reason, created_at: '2026-06-01T12:00:00.000Z', updated_at: '2026-06-01T12:00:00.000Z',
          agent_execution: { id: 'ae000000-0000-4000-8000-000000000001', agent_id: ids.supportAgent, status, started_at: '2026-06-01T12:00:00.000Z', ended_at: null, duration: null },
        }],
        meta: { page: 1, per_page: 20, total_pages: 1, total_count: 1 },
      };
    });
    await page.reload();
    await page.goto(`${m.origin}/__inspector/#/inbox/${ids.demoProject}/${inbox.mariaOpen}`);
    const panel = page.locator('section.agents');
    await panel.locator('.execution').waitFor();
    expect(await panel.locator('.badge').textContent()).toBe('running');

    await panel.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => panel.locator('.badge').textContent()).toBe('paused');
    await panel.getByRole('button', { name: 'Hand off…' }).click();
    await panel.getByLabel('Hand-off reason').fill('Wants to talk to a person');
    await panel.getByRole('button', { name: 'Hand off', exact: true }).click();
    await expect.poll(() => panel.locator('.badge').textContent()).toBe('handoff');
    expect(await panel.textContent()).toContain('Wants to talk to a person');
    await screenshot(page, 'agents-panel-1280');
    await panel.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => panel.locator('.badge').textContent()).toBe('ended');
    expect(await panel.getByRole('button', { name: 'Fail…' }).count()).toBe(0);

    expect(calls.filter((c) => c.method === 'POST')).toEqual([
      { method: 'POST', path: '/__admin/executions/ae000000-0000-4000-8000-000000000001/status', body: { project_id: ids.demoProject, status: 'paused' } },
      { method: 'POST', path: '/__admin/executions/ae000000-0000-4000-8000-000000000001/status', body: { project_id: ids.demoProject, status: 'handoff', reason: 'Wants to talk to a person' } },
      { method: 'POST', path: '/__admin/executions/ae000000-0000-4000-8000-000000000001/status', body: { project_id: ids.demoProject, status: 'ended' } },
    ]);
    expect(calls.find((c) => c.method === 'GET')!.path).toBe(`/__admin/projects/${ids.demoProject}/conversations/${inbox.mariaOpen}/agent_executions`);
  });

  it('Webhooks: deliveries with their attempts, headers and payload; redeliver; a test event', async () => {
    const m = await mock();
    const page = (await openInspector(m, { hash: '#/controls/' })).page;
    const delivery = {
      id: 'wd000000-0000-4000-8000-000000000001', event: 'whatsapp.message.received', url: 'http://localhost:3000/webhooks/kapso', status: 'failed',
      created_at: '2026-06-01T12:00:00.000Z', headers: { 'x-webhook-signature': 'sha256=…', 'content-type': 'application/json' },
      payload: { message: { id: 'm1', content: 'Hi' } },
      attempts: [{ status_code: 500, duration_ms: 12, at: '2026-06-01T12:00:00.000Z' }, { status_code: null, error: 'ECONNREFUSED', at: '2026-06-01T12:00:10.000Z' }],
    };
    const calls = await simulate(page, [
      { method: 'GET', path: DELIVERIES, operation_id: 'adminListWebhookDeliveries' },
      { method: 'POST', path: REDELIVER, operation_id: 'adminRedeliverWebhook' },
      { method: 'POST', path: TEST_EVENT, operation_id: 'adminSendWebhookTestEvent' },
    ], (call) => (call.method === 'GET' ? { data: [delivery] } : { data: {} }));
    await page.reload();
    await page.locator('#views a[data-view="webhooks"]').click();
    await page.getByRole('button', { name: 'whatsapp.message.received' }).click();
    const detail = page.locator('.webhooks .request-detail');
    await detail.locator('h3').waitFor();
    expect(await detail.locator('h3').textContent()).toBe('whatsapp.message.received → http://localhost:3000/webhooks/kapso');
    expect(await detail.locator('.attempts li').allTextContents()).toEqual([
      expect.stringContaining('500 · 12 ms'), expect.stringContaining('no answer'),
    ]);
    expect(await detail.textContent()).toContain('x-webhook-signature');
    expect(await detail.textContent()).toContain('"content": "Hi"');
    await screenshot(page, 'webhooks-1280');
    await detail.getByRole('button', { name: 'Redeliver' }).click();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    await expect.poll(() => calls.filter((c) => c.method === 'POST').map((c) => c.path)).toEqual([
      '/__admin/webhook_deliveries/wd000000-0000-4000-8000-000000000001/redeliver', TEST_EVENT,
    ]);
    expect(calls.find((c) => c.method === 'GET')!.path).toBe(DELIVERIES);
  });
});
