// What every webhook test checks of a request a receiver got: Kapso's headers, the signature over
// the raw bytes, compact JSON, and the body against the schema of its event (src/webhooks/payload-schemas.ts).
import { createHmac } from 'node:crypto';
import { expect } from 'vitest';
import { payloadSchema } from '../../src/webhooks/payload-schemas.js';
import type { Client } from './app.js';
import type { Received } from './receiver.js';

export const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Lowercase hex HMAC-SHA256 of the bytes, as a receiver computes it. */
export const hmac = (secret: string, raw: Buffer | string) => createHmac('sha256', secret).update(raw).digest('hex');

/**
 * Checks a delivery as a receiver sees it and returns its body: POST, JSON, X-Webhook-Event,
 * a signature that verifies against the raw body, a UUID idempotency key, the payload version,
 * batch headers when batched, compact JSON, and the body valid for the event's schema.
 */
export function verify(r: Received, expected: { secret: string; event: string; version?: 'v1' | 'v2'; batch?: number }): any {
  const version = expected.version ?? 'v2';
  expect(r.method).toBe('POST');
  expect(r.headers['content-type']).toBe('application/json');
  expect(r.headers['x-webhook-event']).toBe(expected.event);
  expect(r.headers['x-webhook-signature']).toBe(hmac(expected.secret, r.raw));
  expect(r.headers['x-webhook-signature']).toMatch(/^[0-9a-f]{64}$/);
  expect(r.headers['x-idempotency-key']).toMatch(UUID_V4);
  expect(r.headers['x-webhook-payload-version']).toBe(version);
  if (expected.batch === undefined) {
    expect(r.headers['x-webhook-batch']).toBeUndefined();
    expect(r.headers['x-batch-size']).toBeUndefined();
  } else {
    expect(r.headers['x-webhook-batch']).toBe('true');
    expect(r.headers['x-batch-size']).toBe(String(expected.batch));
  }
  expect(Number(r.headers['content-length'])).toBe(r.raw.length);
  // Compact JSON: a receiver that verifies JSON.stringify(req.body) (Kapso's own examples) passes too.
  expect(JSON.stringify(r.body)).toBe(r.raw.toString('utf8'));
  expect(hmac(expected.secret, JSON.stringify(r.body))).toBe(r.headers['x-webhook-signature']);
  const parsed = payloadSchema(expected.event, version, expected.batch !== undefined).safeParse(r.body);
  expect(parsed.success, parsed.success ? '' : `${expected.event} ${version}: ${JSON.stringify(parsed.error.issues.slice(0, 5))}\n${r.raw.toString('utf8').slice(0, 800)}`).toBe(true);
  return r.body;
}

/** The control plane's view of deliveries, through the contract-checking client. */
export function deliveriesOf(admin: Client) {
  const query = (filter: Record<string, string | undefined>) => {
    const params = new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined));
    return params.size ? `?${params}` : '';
  };
  return {
    list: async (filter: Record<string, string | undefined> = {}) => {
      const res = await admin.get(`/__admin/webhook_deliveries${query(filter)}`);
      expect(res.status).toBe(200);
      return res.body.data as any[];
    },
    wait: async (filter: Record<string, unknown>) => {
      const res = await admin.post('/__admin/webhook_deliveries/wait', { timeout_ms: 5000, ...filter });
      expect(res.status).toBe(200);
      expect(res.body.meta.timed_out, JSON.stringify(res.body).slice(0, 600)).toBe(false);
      return res.body.data as any[];
    },
  };
}
