// /__admin/settings: change rate limiting, auto-provisioning and the journal size at runtime.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { SettingsBody, SettingsResponse } from './schemas.js';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { settings, rateLimiter, journal } = app;
  const r = routes(app, adminTags);
  const current = () => ({ data: { rate_limit: settings.rateLimit, auto_provision: settings.autoProvision, journal_size: journal.capacity } });

  r.get('/settings', {
    operationId: 'adminGetSettings', summary: 'Current runtime settings', response: SettingsResponse,
  }, async () => current());

  r.route('PATCH', '/settings', {
    operationId: 'adminUpdateSettings', summary: 'Change runtime settings',
    description: 'Changing rate_limit starts every key on a fresh window.',
    body: SettingsBody, response: SettingsResponse, errors: [400, 401, 422],
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
