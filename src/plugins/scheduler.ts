// The app's scheduler (lib/scheduler.ts): work due on the mock's clock. Every committed write
// wakes it (a write can bring work due); it stops when the app closes.
import fp from 'fastify-plugin';
import { Scheduler } from '../lib/scheduler.js';

declare module 'fastify' {
  interface FastifyInstance {
    scheduler: Scheduler;
  }
}

export const schedulerPlugin = fp(
  async (app) => {
    const scheduler = new Scheduler(app.clock, (err, work) => app.log.error({ err, work: work.name }, 'scheduled work failed'));
    const unsubscribe = app.events.onLive(() => scheduler.wake());
    app.decorate('scheduler', scheduler);
    app.addHook('preClose', async () => {
      unsubscribe();
      scheduler.stop();
    });
  },
  { name: 'scheduler', dependencies: ['db'] },
);
