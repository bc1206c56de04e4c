// GET /health: no key needed; for Docker's HEALTHCHECK, CI wait loops and load balancers.
import fp from 'fastify-plugin';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  uptime_ms: z.number().int(),
});

const health: FastifyPluginAsyncZod<{ version: string }> = async (app, { version }) => {
  const started = Date.now();
  app.get('/health', {
    schema: {
      operationId: 'getHealth', tags: ['kapso-mock'], summary: 'Liveness check (no API key needed)',
      security: [],
      response: { 200: Health },
    },
  }, async () => ({ status: 'ok' as const, version, uptime_ms: Date.now() - started }));
};

export const healthPlugin = fp(health, { name: 'health' });
