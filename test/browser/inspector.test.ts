// The inspector in Chromium (issue 14): it loads with no console errors and lists the fixtures'
// conversations; writing as the customer shows the message in the chat and through the API; what
// the API sends appears live; marking a message read shows the ticks; the journal shows a request
// made with curl, and "copy as curl" gives a command that works; reset and snapshot restore leave
// nothing stale; the admin token gate; 1280 and 390 px wide, keyboard navigable with visible
// focus, labelled controls. Screenshots of the main views land in test/browser/screenshots/.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ids } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';
import { api, DESKTOP, mock, openInspector, PHONE, screenshot, unlabelled, useBrowser } from './helpers.js';

const run = promisify(execFile);
const browser = useBrowser();

const conversationLink = (page: Page, id: string) => page.locator(`a.conversation[data-id="${id}"]`);
const bubble = (page: Page, text: string) => page.locator('.messages .msg', { hasText: text });

/** Opens a conversation from the list, as a person does. */
async function openChat(page: Page, id: string) {
  await conversationLink(page, id).click();
  await page.locator('#chat-title').waitFor();
  await page.locator('.messages .msg').first().waitFor();
}

describe('the inbox', () => {
  it('loads with no console errors and lists the fixtures\' conversations, newest active first, with their last message', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.locator('a.conversation').first().waitFor();
    const shown = await page.locator('a.conversation').evaluateAll((links) => links.map((a) => (a as HTMLElement).dataset.id));
    const listed = (await api(m, 'GET', '/whatsapp_conversations?per_page=100')).body.data.map((c: { id: string }) => c.id);
    expect(shown).toEqual(listed);
    await expect.poll(() => conversationLink(page, inbox.mariaOpen).textContent()).toContain('Maria Gonzalez');
    expect(await page.locator('[data-testid="api-key"]').textContent()).toBe(m.apiKey);
    expect(await page.locator('#live').textContent()).toBe('Live');
    expect(await page.locator('#views a[data-view="webhooks"]').isVisible()).toBe(true);
    await screenshot(page, 'inbox-list-1280');
  });

  it('opens a conversation as WhatsApp shows it: bubbles by direction, ticks, a template with its parameters, buttons, a reply, media', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await openChat(page, inbox.mariaOpen);
    expect(await page.locator('#chat-title').textContent()).toBe('Maria Gonzalez');
    expect(await page.locator('.msg.in').count()).toBeGreaterThan(0);
    expect(await page.locator('.msg.out').count()).toBeGreaterThan(0);
    expect(await page.locator('.msg.out .ticks').first().getAttribute('aria-label')).toMatch(/^(Sent|Delivered|Read)$/);
    expect(await page.locator('.template mark').count()).toBeGreaterThan(0);
    expect(await page.locator('.msg.out .option').count()).toBeGreaterThan(0);
    expect(await page.locator('.reply .reply-kind').first().textContent()).toBe('Button reply');
    // A remote image is not fetched until asked: the page loads nothing from the internet by itself.
    expect(await page.locator('.media-card button', { hasText: 'Load preview' }).count()).toBeGreaterThan(0);
    expect(await page.locator('img.media-img').count()).toBe(0);
    await screenshot(page, 'inbox-chat-1280');
  });

  it('the search finds a conversation by name or by any spelling of the number, and the status filter narrows', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.locator('a.conversation').first().waitFor();
    await page.fill('#conversation-search', 'priya');
    await expect.poll(() => page.locator('a.conversation').count()).toBe(1);
    await page.fill('#conversation-search', '+1 (555) 010-2030');
    await expect.poll(() => page.locator('a.conversation .conv-name').allTextContents()).toEqual(['Maria Gonzalez', 'Maria Gonzalez', 'Maria Gonzalez']);
    await page.selectOption('#conversation-status', 'active');
    await expect.poll(() => page.locator('a.conversation').count()).toBe(1);
    await page.fill('#conversation-search', 'nobody at all');
    await expect.poll(() => page.locator('.list-pane [role="status"]').textContent()).toBe('No conversation matches.');
  });
});

describe("the customer's phone", () => {
  it('writing as the customer shows the message in the chat and through the API', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await openChat(page, inbox.mariaOpen);
    await page.fill('#compose', 'Is my blender on its way?');
    await page.keyboard.press('Enter');
    await bubble(page, 'Is my blender on its way?').waitFor();
    expect(await bubble(page, 'Is my blender on its way?').getAttribute('class')).toContain('in');
    expect(await page.inputValue('#compose')).toBe('');
    const [newest] = (await api(m, 'GET', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`)).body.data;
    expect(newest).toMatchObject({ direction: 'inbound', message_type: 'text', content: 'Is my blender on its way?', status: 'received' });
    // The list moved it up with its new last message.
    await expect.poll(() => page.locator('a.conversation').first().textContent()).toContain('Is my blender on its way?');
  });

  it('a message typed while the chat is still loading is sent once it has loaded, not dropped', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.locator('a.conversation').first().waitFor();
    // The conversation's answer held back 600 ms: the phone is there but its conversation is not yet.
    const held = (url: URL) => url.pathname.endsWith('/conversations') && url.searchParams.get('q[id_eq]') === inbox.mariaOpen;
    await page.route(held, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 600));
      await route.continue();
    });
    await conversationLink(page, inbox.mariaOpen).click();
    expect(await page.locator('#compose').isDisabled()).toBe(true);
    await page.fill('#compose', 'Typed before the chat was drawn');
    await page.keyboard.press('Enter');
    await bubble(page, 'Typed before the chat was drawn').waitFor();
    expect(await page.inputValue('#compose')).toBe('');
  });

  it('sends a photo (its preview is the mock\'s own), a location and a button reply', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await openChat(page, inbox.mariaOpen);
    await page.fill('#compose', 'The lid is cracked');
    await page.getByRole('button', { name: 'Send a photo as the customer' }).click();
    const photo = page.locator('.msg.in img.media-img');
    await photo.waitFor();
    await expect.poll(() => photo.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await bubble(page, 'The lid is cracked').waitFor();
    await page.getByRole('button', { name: 'Send a location as the customer' }).click();
    await bubble(page, 'Empire State Building').waitFor();
    await page.getByRole('button', { name: 'Reply "No, thanks" as the customer' }).last().click();
    await page.locator('.msg.in .reply', { hasText: 'No, thanks' }).waitFor();
    const types = (await api(m, 'GET', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`)).body.data.slice(0, 3).map((x: any) => x.message_type);
    expect(types).toEqual(['interactive', 'location', 'image']);
    await screenshot(page, 'phone-sends-1280');
  });

  it('a new conversation: a number and a name write in, and the chat opens', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.fill('#new-phone', '+1 555 019 7000');
    await page.fill('#new-name', 'Rosa Diaz');
    await page.fill('#new-text', 'Hi! Do you ship to Canada?');
    await page.getByRole('button', { name: 'Send as the customer' }).click();
    await bubble(page, 'Do you ship to Canada?').waitFor();
    expect(await page.locator('#chat-title').textContent()).toBe('Rosa Diaz');
    const listed = (await api(m, 'GET', '/whatsapp_conversations?q[phone_number_eq]=15550197000')).body.data;
    expect(listed).toMatchObject([{ contact_name: 'Rosa Diaz', phone_number: '+15550197000', status: 'active' }]);
    expect(page.url()).toContain(listed[0].id);
  });
});

describe('live', () => {
  it('a message the API sends appears without a reload, and marking it delivered, read or failed shows the ticks', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await openChat(page, inbox.mariaOpen);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

    const sent = await api(m, 'POST', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Your blender shipped today.' } });
    expect(sent.status).toBe(201);
    const message = bubble(page, 'Your blender shipped today.');
    await message.waitFor();
    expect(await message.getAttribute('class')).toContain('out');
    expect(await message.locator('.ticks').getAttribute('aria-label')).toBe('Sent');
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

    await message.locator('summary').click();
    await message.getByRole('button', { name: 'Mark delivered' }).click();
    await expect.poll(() => bubble(page, 'Your blender shipped today.').locator('.ticks').getAttribute('aria-label')).toBe('Delivered');
    await bubble(page, 'Your blender shipped today.').locator('summary').click();
    await bubble(page, 'Your blender shipped today.').getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(() => bubble(page, 'Your blender shipped today.').locator('.ticks').getAttribute('aria-label')).toBe('Read');
    expect(await bubble(page, 'Your blender shipped today.').locator('.ticks').getAttribute('class')).toContain('read');
    const admin = await (await fetch(`${m.origin}/__admin/projects/${ids.demoProject}/conversations/${inbox.mariaOpen}/messages?per_page=1`)).json() as { data: any[] };
    expect(admin.data[0]).toMatchObject({ id: sent.body.data.id, status: 'read', read_at: expect.any(String), delivered_at: expect.any(String) });
    await screenshot(page, 'ticks-read-1280');

    // Moved by another tool: the page follows.
    const other = await api(m, 'POST', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'This one will fail.' } });
    await bubble(page, 'This one will fail.').waitFor();
    await fetch(`${m.origin}/__admin/messages/${other.body.data.id}/status`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'failed', error: { code: 131047, title: 'Re-engagement message' } }),
    });
    await expect.poll(() => bubble(page, 'This one will fail.').locator('.ticks').getAttribute('aria-label')).toBe('Failed');
    expect(await bubble(page, 'This one will fail.').locator('.error-line').textContent()).toContain('131047 Re-engagement message');
  });

  it('a message to a new number opens a conversation that appears in the list by itself', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.locator('a.conversation').first().waitFor();
    const before = await page.locator('a.conversation').count();
    await api(m, 'POST', '/whatsapp_messages', { message: { phone_number: '+1 555 019 8888', message_type: 'template', template_name: 'hello_world' } });
    await expect.poll(() => page.locator('a.conversation').count()).toBe(before + 1);
    expect(await page.locator('a.conversation').first().textContent()).toContain('+15550198888');
  });
});

describe('requests', () => {
  it('the journal shows a request made with curl, with its bodies; "Copy as curl" gives a command that does it again', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: '#/requests/' });
    await page.locator('.requests').waitFor();
    await run('curl', ['-s', '-X', 'POST', `${m.url}/customers`, '-H', `X-API-Key: ${m.apiKey}`, '-H', 'Content-Type: application/json',
      '-d', JSON.stringify({ customer: { name: "Bob's Bikes", external_customer_id: 'BOB-1' } })]);
    await run('curl', ['-s', `${m.url}/customers?per_page=2`, '-H', `X-API-Key: ${m.apiKey}`]);
    const row = page.locator('.request-table tbody tr', { hasText: '/api/v1/customers' });
    await expect.poll(() => row.count()).toBe(2);
    const post = page.locator('.request-table tbody tr', { hasText: 'POST' });
    expect(await post.locator('.status').textContent()).toBe('201');

    await post.getByRole('button').click();
    const detail = page.locator('.request-detail');
    await detail.locator('h3').waitFor();
    expect(await detail.locator('h3').textContent()).toBe('POST /api/v1/customers');
    expect(await detail.textContent()).toContain('"external_customer_id": "BOB-1"');
    expect(await detail.textContent()).toContain('[redacted]');
    await screenshot(page, 'requests-1280');

    // The GET, copied as curl, run by a shell, answers what it answered.
    await page.locator('.request-table tbody tr', { hasText: 'GET' }).getByRole('button').click();
    await expect.poll(() => detail.locator('h3').textContent()).toBe('GET /api/v1/customers');
    await page.getByRole('button', { name: 'Copy as curl' }).click();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(`-H 'X-API-Key: ${m.apiKey}'`);
    expect(copied).toBe(await detail.locator('.block pre').first().textContent());
    const { stdout } = await run('sh', ['-c', copied.replace(/ \\\n {2}/g, ' ') + ' -s']);
    expect(JSON.parse(stdout).data).toHaveLength(2);
  });

  it('filters by method and status, live', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: '#/requests/' });
    await page.locator('.requests').waitFor();
    await api(m, 'GET', '/agents');
    await api(m, 'GET', '/customers/nope');
    await api(m, 'DELETE', '/customers/nope');
    await expect.poll(() => page.locator('.request-table tbody tr').count()).toBe(3);
    await page.selectOption('#req-status', '4');
    await expect.poll(() => page.locator('.request-table tbody tr').count()).toBe(2);
    await page.selectOption('#req-method', 'DELETE');
    await expect.poll(() => page.locator('.request-table tbody tr').count()).toBe(1);
  });
});

describe('reset and snapshots', () => {
  it('a snapshot restored and a reset leave nothing stale on the page', async () => {
    const m = await mock();
    const { page, allow } = await openInspector(m);
    // A reset made by another tool can land between the page's check that the open conversation
    // exists and its request for the messages: that request's 404 is a console line of the browser's
    // own (any 404 is), and the page treats it as the conversation gone, as the assertions below see.
    allow(/404 \(Not Found\).*\/conversations\/[^/]+\/messages\?/);
    // A conversation of our own, then a snapshot of it, then one more message.
    await page.getByRole('button', { name: 'New conversation' }).click();
    await page.fill('#new-phone', '+1 555 019 7001');
    await page.fill('#new-name', 'Sam Lee');
    await page.fill('#new-text', 'First message');
    await page.getByRole('button', { name: 'Send as the customer' }).click();
    await bubble(page, 'First message').waitFor();
    const conversationUrl = page.url();

    await page.locator('#views a[data-view="controls"]').click();
    await page.fill('#snapshot-name', 'with-sam');
    await page.getByRole('button', { name: 'Save snapshot' }).click();
    await page.locator('.rows li', { hasText: 'with-sam' }).waitFor();
    await screenshot(page, 'controls-1280');

    await page.goto(conversationUrl);
    await page.fill('#compose', 'Second message');
    await page.keyboard.press('Enter');
    await bubble(page, 'Second message').waitFor();

    // Restored from the page: the second message is gone, the first is there.
    await page.locator('#views a[data-view="controls"]').click();
    await page.getByRole('button', { name: 'Restore with-sam' }).click();
    await page.goBack();
    await bubble(page, 'First message').waitFor();
    await expect.poll(() => bubble(page, 'Second message').count()).toBe(0);

    // Reset by another tool while the chat is open: the conversation goes, the page follows.
    await fetch(`${m.origin}/__admin/reset`, { method: 'POST' });
    await expect.poll(() => page.url()).not.toContain(conversationUrl.split('/').pop()!);
    await expect.poll(() => page.locator('a.conversation', { hasText: 'Sam Lee' }).count()).toBe(0);
    await expect.poll(() => page.locator('a.conversation').count()).toBeGreaterThan(0);
  });
});

describe('the admin token gate', () => {
  it('asks for the token once, keeps an HttpOnly session cookie (not the token), and the page works with it, live', async () => {
    const TOKEN = 'inspector-test-token';
    const m = await mock({ adminToken: TOKEN });
    const inspector = await openInspector(m);
    const { page } = inspector;
    await page.getByLabel('Admin token').waitFor();
    expect(await page.locator('a.conversation').count()).toBe(0);
    await screenshot(page, 'token-gate-1280');

    inspector.allow(/status of 401/);
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Open the inspector' }).click();
    await page.getByText('That is not the admin token.').waitFor();

    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Open the inspector' }).click();
    await page.locator('a.conversation').first().waitFor();
    const cookies = await browser.context.cookies(m.origin);
    expect(cookies).toHaveLength(1);
    expect(cookies[0]).toMatchObject({ name: `kapso_mock_session_${new URL(m.origin).port}`, httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(cookies[0]!.value).not.toContain(TOKEN);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    // The event stream takes the cookie too.
    await expect.poll(() => page.locator('#live').textContent()).toBe('Live');
    await openChat(page, inbox.mariaOpen);
    await api(m, 'POST', `/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Behind the token.' } });
    await bubble(page, 'Behind the token.').waitFor();

    // Once: a reload goes straight in; signing out asks again.
    await page.reload();
    await page.locator('a.conversation').first().waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    expect(await browser.context.cookies(m.origin)).toEqual([]);
  });
});

describe('390 px wide, the keyboard and labels', () => {
  it('on a phone-sized screen: the list, then the chat alone with a way back, nothing wider than the screen', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { viewport: PHONE });
    await page.locator('a.conversation').first().waitFor();
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fits()).toBe(true);
    await screenshot(page, 'inbox-list-390');
    await openChat(page, inbox.mariaOpen);
    expect(await page.locator('.list-pane').isVisible()).toBe(false);
    expect(await fits()).toBe(true);
    await page.fill('#compose', 'Sent from a small screen');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await bubble(page, 'Sent from a small screen').waitFor();
    await screenshot(page, 'inbox-chat-390');
    await page.getByRole('button', { name: 'Back to the conversations' }).click();
    await page.locator('.list-pane').waitFor({ state: 'visible' });
    expect(await page.locator('.chat-pane').isVisible()).toBe(false);
    for (const view of ['requests', 'controls']) {
      await page.locator(`#views a[data-view="${view}"]`).click();
      await page.locator(`.${view}`).waitFor();
      expect(await fits(), view).toBe(true);
    }
    await screenshot(page, 'controls-390');
  });

  it('keyboard only: Tab reaches a conversation with a visible focus ring, Enter opens it, the customer writes and sends', async () => {
    const m = await mock();
    const { page } = await openInspector(m);
    await page.locator('a.conversation').first().waitFor();
    let focused = '';
    for (let i = 0; i < 30 && !focused.includes('conversation'); i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.className ?? '');
    }
    expect(focused).toContain('conversation');
    const ring = await page.evaluate(() => {
      const style = getComputedStyle(document.activeElement!);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('chat-title');
    for (let i = 0; i < 40 && (await page.evaluate(() => document.activeElement?.id)) !== 'compose'; i++) await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('compose');
    await page.keyboard.type('Typed without a mouse');
    await page.keyboard.press('Enter');
    await bubble(page, 'Typed without a mouse').waitFor();
  });

  it.each([['desktop', DESKTOP], ['phone', PHONE]])('every control has a label (%s)', async (_name, viewport) => {
    const m = await mock();
    const { page } = await openInspector(m, { viewport });
    await page.locator('a.conversation').first().waitFor();
    expect(await unlabelled(page)).toEqual([]);
    await openChat(page, inbox.mariaOpen);
    await page.locator('.msg.out summary').first().click();
    expect(await unlabelled(page)).toEqual([]);
    for (const view of ['requests', 'controls']) {
      await page.locator(`#views a[data-view="${view}"]`).click();
      await page.locator(`.${view}`).waitFor();
      expect(await unlabelled(page), view).toEqual([]);
    }
  });
});

describe('controls', () => {
  it('the clock, a fault rule and a setting, each shown as the mock has it', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: '#/controls/' });
    await page.locator('.controls').waitFor();
    await page.getByRole('button', { name: 'Freeze' }).click();
    await expect.poll(() => page.locator('.clock-line').textContent()).toMatch(/^Frozen at/);
    const frozen = (await (await fetch(`${m.origin}/__admin/clock`)).json() as { data: { mode: string; now: string } }).data;
    expect(frozen.mode).toBe('frozen');
    await page.getByRole('button', { name: '+1 day' }).click();
    await expect.poll(async () => ((await (await fetch(`${m.origin}/__admin/clock`)).json()) as { data: { now: string } }).data.now)
      .toBe(new Date(Date.parse(frozen.now) + 86_400_000).toISOString());

    await page.selectOption('#fault-method', 'GET');
    await page.fill('#fault-path', '/api/v1/agents');
    await page.fill('#fault-status', '503');
    await page.getByRole('button', { name: 'Add rule' }).click();
    await page.locator('.rows li', { hasText: '/api/v1/agents' }).waitFor();
    expect((await api(m, 'GET', '/agents')).status).toBe(503);
    await expect.poll(() => page.locator('.rows li', { hasText: '/api/v1/agents' }).textContent()).toContain('1 hits');
    await page.getByRole('button', { name: /^Remove the rule/ }).click();
    await expect.poll(() => page.locator('.rows li', { hasText: '/api/v1/agents' }).count()).toBe(0);
    expect((await api(m, 'GET', '/agents')).status).toBe(200);

    await page.getByLabel('Automatic message statuses (sent → delivered → read)').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(async () => ((await (await fetch(`${m.origin}/__admin/settings`)).json()) as { data: { auto_message_status: boolean } }).data.auto_message_status).toBe(true);
  });

  it('a sandbox: its key shown once and remembered by the tab, its seeded conversations behind the project picker', async () => {
    const m = await mock();
    const { page } = await openInspector(m, { hash: '#/controls/' });
    await page.locator('.controls').waitFor();
    await page.fill('#sandbox-name', 'QA sandbox');
    await page.getByRole('button', { name: 'Make a sandbox' }).click();
    const key = await page.locator('.notice code').textContent();
    expect(key).toMatch(/^kapso-sandbox-/);
    const option = page.locator('#project option', { hasText: 'QA sandbox (sandbox)' });
    await option.waitFor({ state: 'attached' });
    await page.selectOption('#project', (await option.getAttribute('value'))!);
    await expect.poll(() => page.locator('[data-testid="api-key"]').textContent()).toBe(key);
    await page.locator('#views a[data-view="inbox"]').click();
    await page.locator('a.conversation', { hasText: 'Maria Gonzalez' }).first().waitFor();
    expect((await api(m, 'GET', '/whatsapp_conversations', undefined, key!)).body.data.length).toBe(await page.locator('a.conversation').count());
  });
});
