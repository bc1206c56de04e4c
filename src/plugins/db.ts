// One database per app: opened, migrated and (when new) seeded at registration,
// closed when the app closes. Routes reach it only through app.repos.
import fp from 'fastify-plugin';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { readFixtures, seedFixtures, type FixtureDocument } from '../db/fixtures.js';
import { createRepositories, type Repositories } from '../db/repositories.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    repos: Repositories;
    clock: Clock;
    /** The fixtures this app was started with (empty when seeding is off). */
    fixtures: FixtureDocument;
    /** API keys that replace a fixture project's own (KAPSO_MOCK_API_KEY), by project ID. */
    keyOverrides: ReadonlyMap<string, string>;
  }
}

export interface DbPluginOptions {
  config: Config;
  clock: Clock;
}

export const dbPlugin = fp<DbPluginOptions>(
  async (app, { config, clock }) => {
    const fixtures = config.fixturesPath === null ? { projects: [] } : readFixtures(config.fixturesPath);
    const { db, isNew } = openDatabase(config.dbPath);
    try {
      const repos = createRepositories(db, clock);
      // KAPSO_MOCK_API_KEY replaces the first fixture project's key, also in a kept database file.
      const keys = new Map(config.apiKey && fixtures.projects[0] ? [[fixtures.projects[0].id, config.apiKey]] : []);
      if (isNew) seedFixtures(db, repos, clock, fixtures, keys);
      else for (const [id, key] of keys) repos.projects.setKey(id, key);
      app.decorate('db', db);
      app.decorate('repos', repos);
      app.decorate('clock', clock);
      app.decorate('fixtures', fixtures);
      app.decorate('keyOverrides', keys);
    } catch (err) {
      db.close();
      throw err;
    }
    app.addHook('onClose', async () => {
      db.close();
    });
  },
  { name: 'db' },
);
