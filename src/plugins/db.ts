// One database per app: opened, migrated and (when new) seeded at registration, closed when the
// app closes. The families' repositories are made here, in RESOURCES order, with the app's
// event bus; routes reach the data only through app.repos.
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { startCheckpointer } from '../db/checkpointer.js';
import { openDatabase, type Db } from '../db/database.js';
import type { FixtureDocument, FixtureFormat } from '../db/fixtures.js';
import { EventBus } from '../lib/events.js';
import type { Repositories, Resource } from '../lib/resource.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    repos: Repositories;
    clock: Clock;
    events: EventBus;
    /** The fixtures format built from the app's families. */
    fixtureFormat: FixtureFormat;
    /** The fixtures this app was started with (empty when seeding is off). */
    fixtures: FixtureDocument;
    /** API keys that replace a fixture project's own (KAPSO_MOCK_API_KEY), by project ID. */
    keyOverrides: ReadonlyMap<string, string>;
  }
}

export interface DbPluginOptions {
  config: Config;
  clock: Clock;
  resources: readonly Resource[];
  format: FixtureFormat;
}

export const dbPlugin = fp<DbPluginOptions>(
  async (app, { config, clock, resources, format }) => {
    const fixtures = config.fixturesPath === null ? { projects: [] } : format.read(config.fixturesPath);
    const { db, isNew } = openDatabase(config.dbPath);
    try {
      const events = new EventBus(db, clock, (err, event) => app.log.error({ err, event: event.name }, 'event subscriber failed'));
      const repos = {} as Repositories;
      for (const resource of resources) {
        (repos as unknown as Record<string, unknown>)[resource.name] = resource.repository({ db, clock, events, repos });
      }
      // KAPSO_MOCK_API_KEY replaces the first fixture project's key, also in a kept database file.
      const keys = new Map(config.apiKey && fixtures.projects[0] ? [[fixtures.projects[0].id, config.apiKey]] : []);
      if (isNew) format.seed(db, repos, clock, fixtures, keys);
      else for (const [id, key] of keys) repos.projects.setKey(id, key);
      app.decorate('db', db);
      app.decorate('repos', repos);
      app.decorate('clock', clock);
      app.decorate('events', events);
      app.decorate('fixtureFormat', format);
      app.decorate('fixtures', fixtures);
      app.decorate('keyOverrides', keys);
    } catch (err) {
      db.close();
      throw err;
    }
    // A database file: its WAL checkpoints run in a worker thread, not inside a request's commit.
    const checkpointer = db.memory ? undefined : startCheckpointer(db, config.dbPath, (err) => app.log.warn({ err }, 'the WAL checkpoint worker failed; checkpoints run in the server\'s own commits'));
    app.addHook('onClose', async () => {
      await checkpointer?.close();
      db.close();
    });
  },
  { name: 'db' },
);
