// /__admin/settings: change rate limiting, auto-provisioning and the journal size at runtime.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { errors } from '../../lib/schemas.js';
import { adminTags as tags } from '../schemas.js';
import { SettingsBody, SettingsResponse } from './schemas.js';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { settings, rateLimiter, journal } = app;
  const current = () => ({ data: { rate_limit: settings.rateLimit, auto_provision: settings.autoProvision, journal_size: journal.capacity } });

  app.get('/settings', {
    schema: {
      operationId: 'adminGetSettings', tags, summary: 'Current runtime settings',
      response: { 200: SettingsResponse, ...errors(401) },
    },
  }, async () => current());

  app.patch('/settings', {
    schema: {
      operationId: 'adminUpdateSettings', tags, summary: 'Change runtime settings',
      description: 'Changing rate_limit starts every key on a fresh window.',
      body: SettingsBody,
      response: { 200: SettingsResponse, ...errors(400, 401, 422) },
    },
  }, async (request) => {
    const { rate_limit, auto_provision, journal_size } = request.body;
    if (rate_limit !== undefined) {
      settings.rateLimit = rate_limit;
      rateLimiter.clear();
    }
    if (auto_provision !== undefined) settings.autoProvision = auto_provision;
    if (journal_size !== undefined && journal_size !== journal.capacity) journal.resize(journal_size);
    return current();
  });
};
