// The is_primary rule under load, over real HTTP: hundreds of concurrent requests that
// set, unset and create primary links on the same agents never leave an agent with two.
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { makeConfig } from '../src/config.js';
import { DEMO_KEY, ids } from './helpers/app.js';

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function listen(): Promise<string> {
  app = buildApp(makeConfig({ logLevel: 'silent' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as { port: number };
  return `http://127.0.0.1:${address.port}/api/v1`;
}

const headers = { 'X-API-Key': DEMO_KEY, 'Content-Type': 'application/json' };

describe('is_primary under concurrent requests', () => {
  it('300 concurrent PUTs, PATCHes and creates leave every agent with at most one primary', async () => {
    const base = await listen();
    // Give the support agent more links to fight over.
    const extra = await Promise.all(
      [ids.globexOrders, ids.initechDispatch].map(async (config) => {
        const res = await fetch(`${base}/agents/${ids.supportAgent}/agent_whatsapp_configs`, {
          method: 'POST', headers, body: JSON.stringify({ agent_whatsapp_config: { whatsapp_config_id: config } }),
        });
        expect(res.status).toBe(201);
        return ((await res.json()) as { data: { id: string } }).data.id;
      }),
    );
    const supportLinks = [ids.supportPrimaryLink, ids.supportSalesLink, ...extra];
    const orderAgentConfigs = [ids.acmeSupport, ids.acmeSales, ids.initechDispatch];

    const requests = Array.from({ length: 300 }, (_, i) => {
      if (i % 10 === 9) {
        // Creates with is_primary: true on the other agent (the first of each config wins, the rest are 422 duplicates).
        const config = orderAgentConfigs[i % orderAgentConfigs.length]!;
        return fetch(`${base}/agents/${ids.orderAgent}/agent_whatsapp_configs`, {
          method: 'POST', headers, body: JSON.stringify({ agent_whatsapp_config: { whatsapp_config_id: config, is_primary: true } }),
        });
      }
      const linkId = supportLinks[i % supportLinks.length]!;
      return fetch(`${base}/agents/${ids.supportAgent}/agent_whatsapp_configs/${linkId}`, {
        method: i % 3 === 0 ? 'PATCH' : 'PUT', headers, body: JSON.stringify({ agent_whatsapp_config: { is_primary: i % 7 !== 0 } }),
      });
    });
    const responses = await Promise.all(requests);
    const statuses = responses.map((r) => r.status);
    await Promise.all(responses.map((r) => r.arrayBuffer()));

    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(270);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 422)).toHaveLength(27);

    const perAgent = app!.db
      .prepare('SELECT agent_id, sum(is_primary) AS primaries, count(*) AS links FROM agent_whatsapp_configs GROUP BY agent_id')
      .all() as { agent_id: string; primaries: number; links: number }[];
    for (const row of perAgent) expect(row.primaries).toBeLessThanOrEqual(1);
    const byAgent = Object.fromEntries(perAgent.map((r) => [r.agent_id, r]));
    expect(byAgent[ids.supportAgent]).toMatchObject({ links: 4 });
    expect(byAgent[ids.orderAgent]).toMatchObject({ links: 4, primaries: 1 });

    // The API agrees with the database.
    const list = await fetch(`${base}/agents/${ids.supportAgent}/agent_whatsapp_configs`, { headers });
    const data = ((await list.json()) as { data: { is_primary: boolean }[] }).data;
    expect(data.filter((l) => l.is_primary).length).toBe(byAgent[ids.supportAgent]!.primaries);
  });

  it('the last acknowledged "true" wins when requests are sent one after another in bursts', async () => {
    const base = await listen();
    const url = (id: string) => `${base}/agents/${ids.supportAgent}/agent_whatsapp_configs/${id}`;
    for (let round = 0; round < 5; round++) {
      const winner = round % 2 === 0 ? ids.supportSalesLink : ids.supportPrimaryLink;
      const loser = winner === ids.supportSalesLink ? ids.supportPrimaryLink : ids.supportSalesLink;
      const burst = await Promise.all(
        Array.from({ length: 50 }, () => fetch(url(loser), { method: 'PUT', headers, body: '{"agent_whatsapp_config":{"is_primary":true}}' })),
      );
      expect(burst.every((r) => r.status === 200)).toBe(true);
      await Promise.all(burst.map((r) => r.arrayBuffer()));
      const last = await fetch(url(winner), { method: 'PUT', headers, body: '{"agent_whatsapp_config":{"is_primary":true}}' });
      expect(last.status).toBe(200);
      const rows = app!.db.prepare('SELECT id FROM agent_whatsapp_configs WHERE agent_id = ? AND is_primary = 1').all(ids.supportAgent);
      expect(rows).toEqual([{ id: winner }]);
    }
  });
});
