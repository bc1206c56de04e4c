// Outbound webhooks (src/webhooks/): the dispatcher subscribes to the event bus (durably: a delivery
// commits with its change), the worker runs on the scheduler. Closing the app ends every send in
// flight at once, so SIGTERM never waits for a slow receiver; what was in flight goes again at the
// next start of a file database. Deliveries made and attempted are announced on the event stream.
import fp from 'fastify-plugin';
import { createWebhookService, type WebhookService } from '../webhooks/service.js';

declare module 'fastify' {
  interface FastifyInstance {
    webhooks: WebhookService;
  }
}

export const webhooksPlugin = fp(
  async (app) => {
    const webhooks = createWebhookService({
      db: app.db, clock: app.clock, repos: app.repos, settings: app.settings, events: app.events, scheduler: app.scheduler, log: app.log,
      report: (name, summary) => app.eventStream.publish(name, summary.project_id, summary),
    });
    const stop = webhooks.start();
    app.decorate('webhooks', webhooks);
    app.addHook('preClose', async () => {
      stop();
      webhooks.close();
    });
  },
  { name: 'webhooks', dependencies: ['db', 'control', 'scheduler'] },
);
