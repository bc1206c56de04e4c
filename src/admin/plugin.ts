// The control plane under /__admin: never mixed into /api/v1. Open for local use; with
// KAPSO_MOCK_ADMIN_TOKEN set, every call needs `Authorization: Bearer <token>` or the inspector's
// session cookie (admin/session.ts). Its reference page, /__admin/docs, is served with the others
// by plugins/docs.ts (open: it holds no data). Every change made through it is announced on the
// event stream as control.changed, so an open inspector never shows stale controls.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminUnauthorized } from '../errors.js';
import { agentAdminRoutes } from './agents/routes.js';
import { callAdminRoutes } from './calls/routes.js';
import { clockRoutes } from './clock/routes.js';
import { executionAdminRoutes } from './executions/routes.js';
import { eventRoutes } from './events/routes.js';
import { faultRoutes } from './faults/routes.js';
import { flowAdminRoutes } from './flows/routes.js';
import { inboxReadRoutes } from './inbox/reads.js';
import { inboxAdminRoutes } from './inbox/routes.js';
import { journalRoutes } from './journal/routes.js';
import { projectAdminRoutes } from './projects/routes.js';
import { sandboxSessionAdminRoutes } from './sandbox-sessions/routes.js';
import { settingsRoutes } from './settings/routes.js';
import { stateRoutes } from './state/routes.js';
import { userAdminRoutes } from './users/routes.js';
import { webhookAdminRoutes } from './webhooks/routes.js';

export const ADMIN_PREFIX = '/__admin';

export const adminPlugin: FastifyPluginAsyncZod = async (admin) => {
  // Admin bodies are flat and mostly optional: no body at all reads as {}.
  admin.addHook('preValidation', (request, _reply, done) => {
    if (request.body === undefined && request.routeOptions.schema?.body) request.body = {};
    done();
  });

  admin.addHook('onRoute', (route) => {
    if (route.schema && !route.schema.hide) route.schema = { ...route.schema, security: [{ AdminToken: [] }] };
  });

  const { adminSessions, eventStream } = admin;
  if (adminSessions.required) {
    admin.addHook('onRequest', (request, _reply, done) => done(adminSessions.allows(request.headers) ? undefined : adminUnauthorized()));
  }

  // A successful call that may change something (any method but GET) is announced to the stream.
  admin.addHook('onResponse', (request, reply, done) => {
    const operationId = request.routeOptions.schema?.operationId;
    if (request.method !== 'GET' && request.method !== 'HEAD' && operationId !== undefined && reply.statusCode < 400) {
      eventStream.publish('control.changed', null, { operation_id: operationId, method: request.method, path: request.url.split('?', 1)[0], status: reply.statusCode });
    }
    done();
  });

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
  await admin.register(inboxReadRoutes);
  await admin.register(eventRoutes);
};
