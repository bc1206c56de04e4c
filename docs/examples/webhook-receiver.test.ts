// The receiver of docs/webhooks.md against kapso-mock: the mock signs and sends, the receiver
// verifies, a forged request is refused. The project's own `npm test` runs this file.
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKapsoMock, type KapsoMock } from 'kapso-mock';
import { createKapsoReceiver } from './webhook-receiver.js';

const SECRET = 'my-webhook-secret';
const ACME_SUPPORT = 'b1000000-0000-4000-8000-000000000001'; // seeded WhatsApp config

let mock: KapsoMock;
const events: [string, any][] = [];
const receiver = createKapsoReceiver(SECRET, (event, payload) => {
  events.push([event, payload]);
});
let receiverUrl: string;

beforeAll(async () => {
  mock = await startKapsoMock();
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhooks/kapso`;
});
afterAll(async () => {
  await mock.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

it('verifies and handles what the mock sends', async () => {
  const res = await fetch(`${mock.url}/whatsapp_configs/${ACME_SUPPORT}/whatsapp_webhooks`, {
    method: 'POST',
    headers: { 'X-API-Key': mock.apiKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ whatsapp_webhook: { url: receiverUrl, secret_key: SECRET, events: ['whatsapp.message.received'] } }),
  });
  expect(res.status).toBe(201);

  await mock.admin.simulateInbound({ phone_number: '+15550102030', content: 'Is my order on its way?' });
  const [delivery] = await mock.admin.waitForWebhookDeliveries({ event: 'whatsapp.message.received', status: 'delivered' });
  expect(delivery?.attempts.map((a) => a.status)).toEqual([200]);
  expect(events).toEqual([['whatsapp.message.received', expect.objectContaining({ message: expect.objectContaining({ text: { body: 'Is my order on its way?' } }) })]]);

  const forged = await fetch(receiverUrl, { method: 'POST', headers: { 'X-Webhook-Signature': '0'.repeat(64) }, body: '{"message":{}}' });
  expect(forged.status).toBe(401);
});
