// A Kapso webhook receiver with nothing but Node: it verifies the signature over the raw body,
// skips a delivery it has already processed (X-Idempotency-Key), unpacks batches, and answers 200
// quickly. Paste it into your project; docs/webhooks.md quotes this file, and the project's tests run it.
//
//   createKapsoReceiver(process.env.KAPSO_WEBHOOK_SECRET!, (event, payload) => console.log(event, payload)).listen(3000);
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export type OnEvent = (event: string, payload: any) => void | Promise<void>;

export function createKapsoReceiver(secret: string, onEvent: OnEvent): Server {
  const processed = new Set<string>(); // keep these in your database in production
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      // 1. The signature: lowercase hex HMAC-SHA256 of the raw body bytes, keyed with the webhook's secret_key.
      const raw = Buffer.concat(chunks);
      const expected = Buffer.from(createHmac('sha256', secret).update(raw).digest('hex'));
      const given = Buffer.from(String(req.headers['x-webhook-signature'] ?? ''));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        res.writeHead(401).end('Invalid signature');
        return;
      }
      // 2. Retries (and redeliveries) carry the same X-Idempotency-Key: process each delivery once.
      const key = String(req.headers['x-idempotency-key']);
      if (processed.has(key)) {
        res.writeHead(200).end('Already processed');
        return;
      }
      // 3. With buffering on, every delivery is a batch: {type, batch: true, data: [...], batch_info}.
      const event = String(req.headers['x-webhook-event']);
      const body = JSON.parse(raw.toString('utf8'));
      const payloads = req.headers['x-webhook-batch'] === 'true' ? body.data : [body];
      try {
        for (const payload of payloads) await onEvent(event, payload);
      } catch {
        res.writeHead(500).end('Try again'); // anything but 2xx: Kapso retries 10 s, 40 s and 90 s later
        return;
      }
      processed.add(key);
      // 4. Answer within 10 seconds; do slow work in the background.
      res.writeHead(200).end('OK');
    });
  });
}
