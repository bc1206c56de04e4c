// The control plane under /__admin: never mixed into /api/v1. Open for local use; with
// KAPSO_MOCK_ADMIN_TOKEN set, every call needs `Authorization: Bearer <token>`. Its reference
// page, /__admin/docs, is served with the others by plugins/docs.ts (open: it holds no data).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminUnauthorized } from '../errors.js';
import { agentAdminRoutes } from './agents/routes.js';
import { callAdminRoutes } from './calls/routes.js';
import { clockRoutes } from './clock/routes.js';
import { executionAdminRoutes } from './executions/routes.js';
import { faultRoutes } from './faults/routes.js';
import { flowAdminRoutes } from './flows/routes.js';
import { inboxAdminRoutes } from './inbox/routes.js';
import { journalRoutes } from './journal/routes.js';
import { projectAdminRoutes } from './projects/routes.js';
import { sandboxSessionAdminRoutes } from './sandbox-sessions/routes.js';
import { settingsRoutes } from './settings/routes.js';
import { stateRoutes } from './state/routes.js';
import { userAdminRoutes } from './users/routes.js';
import { webhookAdminRoutes } from './webhooks/routes.js';

export const ADMIN_PREFIX = '/__admin';

const digest = (s: string) => createHash('sha256').update(s).digest();

export const adminPlugin: FastifyPluginAsyncZod<{ token?: string | undefined }> = async (admin, { token }) => {
  // Admin bodies are flat and mostly optional: no body at all reads as {}.
  admin.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
    done();
  });

  admin.addHook('onRoute', (route) => {
    if (route.schema && !route.schema.hide) route.schema = { ...route.schema, security: [{ AdminToken: [] }] };
  });

  if (token !== undefined) {
    const expected = digest(token);
    admin.addHook('onRequest', (request, _reply, done) => {
      // The scheme name is case-insensitive (RFC 9110).
      const given = /^bearer +(.+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      // Compared as digests: constant time whatever the lengths.
      if (!timingSafeEqual(digest(given), expected)) return done(adminUnauthorized());
      done();
    });
  }

  await admin.register(stateRoutes);
  await admin.register(projectAdminRoutes);
  await admin.register(journalRoutes);
  await admin.register(faultRoutes);
  await admin.register(settingsRoutes);
  await admin.register(clockRoutes);
  await admin.register(flowAdminRoutes);
  await admin.register(sandboxSessionAdminRoutes);
  await admin.register(agentAdminRoutes);
  await admin.register(inboxAdminRoutes);
  await admin.register(callAdminRoutes);
  await admin.register(executionAdminRoutes);
  await admin.register(userAdminRoutes);
  await admin.register(webhookAdminRoutes);
};
