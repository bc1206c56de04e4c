// The Agents panel and the Webhooks view against the real server: a conversation's executions moved
// through the control plane from the page (and read back through /api/v1), moves and starts made
// elsewhere shown live; webhook deliveries to a real receiver on 127.0.0.1 shown live with their
// status, attempts, headers and payload, redelivered (the receiver gets the same bytes twice), and a
// test event sent to one of the project's webhooks.
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KapsoMock } from '../../src/index.js';
import { ids, OTHER_KEY } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { seed } from '../helpers/seed.js';
import { api, mock, openInspector, PHONE, screenshot, unlabelled, useBrowser } from './helpers.js';

useBrowser();

// The seeded executions (fixtures/25-agent-executions.json) and the conversations they run in.
const execution = (status: string) => seed.find('agentExecutions', (r) => r.status === status && r.agent_id === ids.supportAgent);
const conversationOf = (executionId: string) =>
  String(seed.records.find((r) => r.kind === 'conversationExecutions' && r.parentId === executionId)!.record.conversation_id);
const lucas = { execution: execution('running').id, conversation: conversationOf(execution('running').id) };
const daniel = { execution: execution('paused').id, conversation: conversationOf(execution('paused').id) };

/** The control plane, called as a script or a test would (not through the page). */
async function control(m: KapsoMock, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${m.origin}${path}`, {
    method, ...(method !== 'GET' && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) }),
  });
  return { status: res.status, body: await res.json() };
}

/** The execution as /api/v1 reads it, and its association with the conversation. */
async function readBack(m: KapsoMock, id: string, conversationId: string) {
  const executionRead = await api(m, 'GET', `/agents/${ids.supportAgent}/executions/${id}`);
  const links = await api(m, 'GET', `/whatsapp_conversations/${conversationId}/agent_executions`);
  return { status: executionRead.body.data.status as string, link: links.body.data.find((l: any) => l.agent_execution.id === id) };
}

async function openConversation(m: KapsoMock, conversationId: string, viewport?: { width: number; height: number }) {
  const { page } = await openInspector(m, { hash: `#/inbox/${ids.demoProject}/${conversationId}`, ...(viewport && { viewport }) });
  const panel = page.locator('section.agents');
  await panel.locator('.execution').first().waitFor();
  return { page, panel };
}

const badgeOf = (page: Page, executionId: string) => page.locator(`section.agents .execution[data-id="${executionId}"] .badge`);

describe('Agents', () => {
  it("a conversation's execution moved from the panel: pause, resume, hand off with a reason, end; /api/v1 reads each move", async () => {
    const m = await mock();
    const { page, panel } = await openConversation(m, lucas.conversation);
    const badge = badgeOf(page, lucas.execution);
    expect(await badge.textContent()).toBe('running');
    expect(await panel.textContent()).toContain('Customer Support Agent');
    expect(await panel.textContent()).toContain('in charge');

    await panel.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => badge.textContent()).toBe('paused');
    expect((await readBack(m, lucas.execution, lucas.conversation)).status).toBe('paused');

    await panel.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => badge.textContent()).toBe('running');
    expect((await readBack(m, lucas.execution, lucas.conversation)).status).toBe('running');

    await panel.getByRole('button', { name: 'Hand off…' }).click();
    await panel.getByLabel('Hand-off reason').fill('Wants to talk to a person about a refund');
    await panel.getByRole('button', { name: 'Hand off', exact: true }).click();
    await expect.poll(() => badge.textContent()).toBe('handoff');
    expect(await panel.textContent()).toContain('Wants to talk to a person about a refund');
    // The handoff, read through the API: the execution's status and the conversation's handoff_reason.
    const handedOff = await readBack(m, lucas.execution, lucas.conversation);
    expect(handedOff.status).toBe('handoff');
    expect(handedOff.link).toMatchObject({ active: true, handoff_reason: 'Wants to talk to a person about a refund' });
    // In handoff, people may write to the customer again: the API's send guard agrees with the panel.
    expect((await api(m, 'POST', `/whatsapp_conversations/${lucas.conversation}/whatsapp_messages`, { message: { content: 'A person here: let me help.' } })).status).toBe(201);
    await screenshot(page, 'agents-panel-1280');

    await panel.getByRole('button', { name: 'End' }).click();
    await expect.poll(() => badge.textContent()).toBe('ended');
    expect(await panel.getByRole('button', { name: 'Fail…' }).count()).toBe(0);
    const ended = await readBack(m, lucas.execution, lucas.conversation);
    expect(ended.status).toBe('ended');
    expect(ended.link.active).toBe(false);
    expect(await unlabelled(page)).toEqual([]);
  });

  it('fail with a reason: failed in the panel (the control plane knows), ended on /api/v1', async () => {
    const m = await mock();
    const { page, panel } = await openConversation(m, daniel.conversation);
    const badge = badgeOf(page, daniel.execution);
    expect(await badge.textContent()).toBe('paused');
    await panel.getByRole('button', { name: 'Fail…' }).click();
    await panel.getByLabel('Failure reason').fill('The order service timed out');
    await panel.getByRole('button', { name: 'Fail', exact: true }).click();
    await expect.poll(() => badge.textContent()).toBe('failed');
    expect(await panel.textContent()).toContain('Failed: The order service timed out');
    expect((await readBack(m, daniel.execution, daniel.conversation)).status).toBe('ended');
  });

  it('live: an execution the app starts, and moves made with curl, show without a reload', async () => {
    const m = await mock();
    const { page, panel } = await openConversation(m, inbox.mariaOpen);
    const before = await panel.locator('.execution').count();
    const started = await api(m, 'POST', `/agents/${ids.supportAgent}/executions`, { message: 'Hi, where is my order?', phone_number: '+1 555 010 2030' });
    expect(started.status).toBe(202);
    const id = started.body.data.id as string;
    await expect.poll(() => panel.locator('.execution').count()).toBe(before + 1);
    expect(await badgeOf(page, id).textContent()).toBe('started');
    // The customer's words are in the chat too.
    await page.locator('.msg.in', { hasText: 'Hi, where is my order?' }).waitFor();

    // running and paused are record.updated of the execution; handoff is agent_execution.handoff.
    expect((await control(m, 'POST', `/__admin/executions/${id}/status`, { status: 'paused' })).status).toBe(200);
    await expect.poll(() => badgeOf(page, id).textContent()).toBe('paused');
    expect((await control(m, 'POST', `/__admin/executions/${id}/status`, { status: 'handoff', reason: 'Asked for a manager' })).status).toBe(200);
    await expect.poll(() => badgeOf(page, id).textContent()).toBe('handoff');
    expect(await panel.textContent()).toContain('Asked for a manager');
  });

  it('at 390 px: the panel is reachable from the chat, with its buttons labelled', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: `#/inbox/${ids.demoProject}/${lucas.conversation}`, viewport: PHONE });
    await page.locator('#chat-title').waitFor();
    // Below 1200 px the details (the contact, the agents) open with Info.
    await page.getByRole('button', { name: 'Info' }).click();
    const panel = page.locator('section.agents');
    await panel.locator('.execution').first().waitFor();
    await panel.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => badgeOf(page, lucas.execution).textContent()).toBe('paused');
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'agents-panel-390');
  });
});

describe('Webhooks', () => {
  let receiver: Receiver;
  beforeEach(async () => {
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await receiver.close();
  });

  /** A webhook on Acme Support (the Demo Project's), to the receiver. */
  async function webhook(m: KapsoMock, fields: Record<string, unknown> = {}) {
    const res = await api(m, 'POST', `/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, {
      whatsapp_webhook: { url: receiver.url('/kapso'), secret_key: 'browser-secret', events: ['whatsapp.message.received'], ...fields },
    });
    expect(res.status).toBe(201);
    return res.body.data as { id: string };
  }

  async function openWebhooks(m: KapsoMock, viewport?: { width: number; height: number }) {
    const { page } = await openInspector(m, { hash: `#/webhooks/${ids.demoProject}`, ...(viewport && { viewport }) });
    await page.locator('.webhooks').waitFor();
    await expect.poll(() => page.locator('#views a[aria-current="page"]').textContent()).toBe('Webhooks');
    return page;
  }

  const rows = (page: Page) => page.locator('table.deliveries tbody tr');

  it('a delivery to a local receiver shows live with its status, attempts, headers and payload; redeliver sends it again', async () => {
    const m = await mock();
    await webhook(m);
    const page = await openWebhooks(m);
    await expect.poll(() => page.locator('.webhooks [role="status"]').first().textContent()).toContain('No delivery yet');

    // The customer writes (as the inbound simulation does): the receiver gets the delivery, the page shows it.
    expect((await control(m, 'POST', '/__admin/simulate/inbound-message', { phone_number: '+15550102030', content: 'Is my order on its way?' })).status).toBe(201);
    const [first] = await receiver.next(1);
    await expect.poll(() => rows(page).count()).toBe(1);
    await expect.poll(() => rows(page).first().locator('.badge').textContent()).toBe('delivered');
    expect(await rows(page).first().textContent()).toContain('HTTP 200');

    await rows(page).first().getByRole('button', { name: /whatsapp\.message\.received/ }).click();
    const detail = page.locator('.webhooks .request-detail');
    await expect.poll(() => detail.locator('h3').textContent()).toBe(`whatsapp.message.received → ${receiver.url('/kapso')}`);
    expect(await detail.locator('.attempts li').allTextContents()).toEqual([expect.stringMatching(/^200 · \d+ ms · /)]);
    const text = await detail.textContent();
    expect(text).toContain('X-Webhook-Signature');
    expect(text).toContain(String(first!.headers['x-idempotency-key']));
    expect(text).toContain('"body": "Is my order on its way?"');
    await screenshot(page, 'webhooks-1280');

    await detail.getByRole('button', { name: 'Redeliver' }).click();
    const [, second] = await receiver.next(2);
    // The same event again: the same bytes, signature and X-Idempotency-Key.
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(second!.headers['x-webhook-signature']).toBe(first!.headers['x-webhook-signature']);
    expect(second!.headers['x-idempotency-key']).toBe(first!.headers['x-idempotency-key']);
    await expect.poll(() => rows(page).count()).toBe(2);
    await expect.poll(() => rows(page).locator('.badge').allTextContents()).toEqual(['delivered', 'delivered']);
    expect(receiver.received).toHaveLength(2);
    expect(await unlabelled(page)).toEqual([]);
  });

  it("a test event to one of the project's webhooks; a receiver answering 500 shows the failed attempt; the status filter", async () => {
    const m = await mock({ webhookRetryDelaysMs: [] });
    const hook = await webhook(m, { active: false });
    receiver.otherwise = { status: 500, body: 'Receiver broke' };
    const page = await openWebhooks(m);
    const target = page.getByLabel('Webhook', { exact: true });
    // The project's WhatsApp webhooks, its config's name first (the seeded ones, inactive, point at localhost:3000).
    await expect.poll(() => target.locator('option').allTextContents()).toContain(`Acme Support: ${receiver.url('/kapso')} (inactive)`);
    await target.selectOption(hook.id);
    await page.getByLabel('Event', { exact: true }).last().selectOption('whatsapp.message.failed');
    await page.getByRole('button', { name: 'Send a test event' }).click();

    const [got] = await receiver.next(1);
    expect(got!.headers['x-webhook-event']).toBe('whatsapp.message.failed');
    await expect.poll(() => rows(page).first().locator('.badge').textContent()).toBe('failed');
    expect(await rows(page).first().textContent()).toContain('HTTP 500');
    await rows(page).first().getByRole('button').click();
    const detail = page.locator('.webhooks .request-detail');
    await expect.poll(() => detail.textContent()).toContain('Receiver broke');
    expect(await detail.textContent()).toContain('test');
    const listed = await control(m, 'GET', `/__admin/webhook_deliveries?webhook_id=${hook.id}`);
    expect(listed.body.data.map((d: any) => [d.origin, d.status])).toEqual([['test', 'failed']]);

    await page.getByLabel('Status').selectOption('delivered');
    await expect.poll(() => rows(page).count()).toBe(0);
    expect(await page.locator('.webhooks [role="status"]').first().textContent()).toBe('No delivery matches the filters.');
    await page.getByLabel('Status').selectOption('failed');
    await expect.poll(() => rows(page).count()).toBe(1);
  });

  it('webhooks made and deleted elsewhere show without a reload; a project without one says how to make one; 390 px', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: `#/webhooks/${ids.otherProject}`, viewport: PHONE });
    const target = page.getByLabel('Webhook', { exact: true });
    await expect.poll(() => target.locator('option').allTextContents()).toEqual(['Umbrella Appointments: http://localhost:3000/webhooks/umbrella (inactive)']);
    // The Other Project's only webhook deleted through the API (record.deleted): the page says how to make one.
    const listUrl = `/whatsapp_configs/${ids.umbrellaConfig}/whatsapp_webhooks`;
    const [seeded] = (await api(m, 'GET', listUrl, undefined, OTHER_KEY)).body.data;
    expect((await api(m, 'DELETE', `${listUrl}/${seeded.id}`, undefined, OTHER_KEY)).status).toBe(204);
    await page.getByText('This project has no WhatsApp webhook yet').waitFor();
    expect(await page.getByRole('button', { name: 'Send a test event' }).isVisible()).toBe(false);
    // One made (record.created): it can be sent a test event.
    const made = await api(m, 'POST', listUrl, {
      whatsapp_webhook: { url: receiver.url('/umbrella'), secret_key: 'k', events: ['whatsapp.message.sent'] },
    }, OTHER_KEY);
    expect(made.status).toBe(201);
    await expect.poll(() => target.locator('option').allTextContents()).toEqual([`Umbrella Appointments: ${receiver.url('/umbrella')}`]);
    await page.getByRole('button', { name: 'Send a test event' }).click();
    expect((await receiver.next(1))[0]!.headers['x-webhook-event']).toBe('whatsapp.message.received');
    await expect.poll(() => rows(page).locator('.badge').allTextContents()).toEqual(['delivered']);
    // Nothing wider than the screen: the page, the view and its scrolling container (main) do not scroll sideways.
    expect(await page.evaluate(() => [document.documentElement, document.getElementById('main')!, document.querySelector('.webhooks')!]
      .map((el) => el.scrollWidth - el.clientWidth))).toEqual([0, 0, 0]);
    expect(await unlabelled(page)).toEqual([]);
    await screenshot(page, 'webhooks-390');
  });
});
