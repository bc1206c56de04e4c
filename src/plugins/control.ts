// The test-double control plane's shared state: the request journal, fault rules, runtime
// settings, the rate limiter and the state service (reset, snapshots, sandboxes). Hooks in
// the doors' scopes (/api/v1, the Meta proxy) use it; the /__admin routes drive it.
import fp from 'fastify-plugin';
import { feedEventStream } from '../admin/events/sources.js';
import { EventStream, type EventStreamOptions } from '../admin/events/stream.js';
import { FaultRules } from '../admin/faults/faults.js';
import { Journal } from '../admin/journal/journal.js';
import { RateLimiter, settingsFrom, type Settings } from '../admin/settings/settings.js';
import { createStateService, type StateService } from '../admin/state/state.js';
import { AdminSessions } from '../admin/session.js';
import type { Config } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    journal: Journal;
    faults: FaultRules;
    settings: Settings;
    rateLimiter: RateLimiter;
    state: StateService;
    /** GET /__admin/events: the bus, the journal and control-plane changes, live. */
    eventStream: EventStream;
    /** The inspector's sessions: the cookie the admin token is exchanged for. */
    adminSessions: AdminSessions;
  }
}

export const controlPlugin = fp<{ config: Config; eventStream?: EventStreamOptions | undefined }>(
  async (app, { config, eventStream }) => {
    app.decorate('journal', new Journal(config.journalSize));
    app.decorate('faults', new FaultRules());
    app.decorate('settings', settingsFrom(config));
    app.decorate('rateLimiter', new RateLimiter(app.clock));
    app.decorate('state', createStateService({
      db: app.db, repos: app.repos, clock: app.clock, events: app.events, format: app.fixtureFormat, startup: app.fixtures, keyOverrides: app.keyOverrides,
    }));
    app.decorate('eventStream', new EventStream(eventStream));
    app.decorate('adminSessions', new AdminSessions(config.adminToken));
    feedEventStream(app.eventStream, app.events, app.journal);
    // A pending /__admin/requests/wait or an open event stream must not hold the server open.
    app.addHook('preClose', async () => {
      app.journal.releaseWaiters();
      app.eventStream.close();
    });
  },
  { name: 'control', dependencies: ['db'] },
);
