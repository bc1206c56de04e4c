// CORS for browser frontends (API-DECISIONS "Transport"): any origin, the API's
// request headers allowed, pagination and rate-limit headers exposed, preflight 204.
import cors from '@fastify/cors';
import fp from 'fastify-plugin';

export const corsPlugin = fp(
  async (app) => {
    await app.register(cors, {
      origin: '*',
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['X-API-Key', 'Content-Type', 'Authorization', 'X-Kapso-Mock-Status'],
      exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'Retry-After', 'Total', 'Total-Pages', 'Per-Page', 'Page', 'Link'],
      maxAge: 86400,
      optionsSuccessStatus: 204,
      strictPreflight: false,
    });
  },
  { name: 'cors' },
);
