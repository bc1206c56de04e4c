// Logs never carry an API key, at any level, whatever happens to the request.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { makeConfig } from '../src/config.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => lines.join('') };
}

describe('logs', () => {
  it('at trace level, a request per outcome logs its line but never the key', async () => {
    const log = capture();
    const app = buildApp(makeConfig({ logLevel: 'trace' }), { logStream: log.stream });
    app.get('/api/v1/__boom', async () => {
      throw new Error('boom');
    });
    await app.ready();
    const key = 'kapso-demo-key';
    for (const [method, url, payload] of [
      ['GET', '/api/v1/agents'],
      ['GET', '/api/v1/__boom'],
      ['POST', '/api/v1/customers', '{"customer":{'],
      ['GET', '/api/v1/missing'],
    ] as const) {
      await app.inject({ method, url, headers: { 'x-api-key': key, authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(payload && { payload }) });
    }
    await app.inject({ method: 'GET', url: '/api/v1/agents', headers: { 'x-api-key': 'a-wrong-key-value' } });
    await app.close();
    const text = log.text();
    expect(text).toContain('"path":"/api/v1/agents"');
    expect(text).toContain('"msg":"unexpected error"');
    expect(text).not.toContain(key);
    expect(text).not.toContain('a-wrong-key-value');
  });
});
