// Outbound messages moving sent -> delivered -> read by themselves (settings.autoMessageStatus,
// off by default so tests stay deterministic), deliveredAfterMs and readAfterMs apart on the
// mock's clock: work of the app's scheduler, read from the messages table each time.
import fp from 'fastify-plugin';

export const messageStatusProgress = fp(
  async (app) => {
    const { settings, scheduler, repos } = app;
    const remove = scheduler.add({
      name: 'automatic message statuses',
      nextDue: () => (settings.autoMessageStatus ? repos.whatsappMessages.nextAutoStatus(settings.deliveredAfterMs, settings.readAfterMs) : undefined),
      runDue: (now) => repos.whatsappMessages.runAutoStatus(now, settings.deliveredAfterMs, settings.readAfterMs),
    });
    app.addHook('preClose', async () => {
      remove();
    });
  },
  { name: 'message-status-progress', dependencies: ['scheduler', 'control'] },
);
