// /__admin/settings: change rate limiting, auto-provisioning, the journal size, the messaging rules and webhook delivery at runtime.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { SettingsBody, SettingsResponse } from './schemas.js';

export const settingsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { settings, rateLimiter, journal, scheduler, webhooks } = app;
  const r = routes(app, adminTags);
  const current = () => ({
    data: {
      rate_limit: settings.rateLimit,
      auto_provision: settings.autoProvision,
      journal_size: journal.capacity,
      messaging_window: settings.messagingWindow,
      auto_approve_templates: settings.autoApproveTemplates,
      auto_message_status: settings.autoMessageStatus,
      delivered_after_ms: settings.deliveredAfterMs,
      read_after_ms: settings.readAfterMs,
      webhook_retry_delays_ms: settings.webhookRetryDelaysMs,
      webhook_timeout_ms: settings.webhookTimeoutMs,
      webhook_history: settings.webhookHistory,
      webhook_hosts: settings.webhookHosts,
      webhook_delay_ms: settings.webhookDelayMs,
      webhook_duplicate_rate: settings.webhookDuplicateRate,
    },
  });

  r.get('/settings', {
    operationId: 'adminGetSettings', summary: 'Current runtime settings', response: SettingsResponse,
  }, async () => current());

  r.route('PATCH', '/settings', {
    operationId: 'adminUpdateSettings', summary: 'Change runtime settings',
    description: 'Changing rate_limit starts every key on a fresh window. A smaller webhook_history drops the oldest finished deliveries at once; '
      + 'webhook retry delays apply to failures from then on.',
    body: SettingsBody, response: SettingsResponse, errors: [400, 401, 422],
  }, async (request) => {
    const {
      rate_limit, auto_provision, journal_size, messaging_window, auto_approve_templates, auto_message_status, delivered_after_ms, read_after_ms,
      webhook_retry_delays_ms, webhook_timeout_ms, webhook_history, webhook_hosts, webhook_delay_ms, webhook_duplicate_rate,
    } = request.body;
    if (rate_limit !== undefined) {
      settings.rateLimit = rate_limit;
      rateLimiter.clear();
    }
    if (auto_provision !== undefined) settings.autoProvision = auto_provision;
    if (journal_size !== undefined && journal_size !== journal.capacity) journal.resize(journal_size);
    if (messaging_window !== undefined) settings.messagingWindow = messaging_window;
    if (auto_approve_templates !== undefined) settings.autoApproveTemplates = auto_approve_templates;
    if (auto_message_status !== undefined) settings.autoMessageStatus = auto_message_status;
    if (delivered_after_ms !== undefined) settings.deliveredAfterMs = delivered_after_ms;
    if (read_after_ms !== undefined) settings.readAfterMs = read_after_ms;
    if (webhook_retry_delays_ms !== undefined) settings.webhookRetryDelaysMs = webhook_retry_delays_ms;
    if (webhook_timeout_ms !== undefined) settings.webhookTimeoutMs = webhook_timeout_ms;
    if (webhook_hosts !== undefined) settings.webhookHosts = webhook_hosts;
    if (webhook_delay_ms !== undefined) settings.webhookDelayMs = webhook_delay_ms;
    if (webhook_duplicate_rate !== undefined) settings.webhookDuplicateRate = webhook_duplicate_rate;
    if (webhook_history !== undefined) {
      settings.webhookHistory = webhook_history;
      webhooks.trimHistory();
    }
    // Message statuses may be due now (auto_message_status switched on, a shorter delay): run them before answering.
    if (auto_message_status !== undefined || delivered_after_ms !== undefined || read_after_ms !== undefined) scheduler.tick();
    return current();
  });
};
