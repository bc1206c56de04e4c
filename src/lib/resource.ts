// A resource family (customers, agents, conversations...) is one folder under src/resources/
// and one line in app.ts's RESOURCES. Its resource.ts says what it brings: its repository, its
// routes and its part of the fixtures. The app builds app.repos, the routes and the fixture
// format from that list; nothing else needs editing (docs/contributing.md).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import type { EventBus } from './events.js';

/**
 * Every family's repository, by name (app.repos). Each family adds its own entry next to its
 * definition: `declare module '../../lib/resource.js' { interface Repositories { customers: CustomerRepository } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface Repositories {}

/** What a repository is made from. `repos` holds the families listed before it in RESOURCES. */
export interface RepoContext {
  db: Db;
  clock: Clock;
  events: EventBus;
  repos: Repositories;
}

/** Where a fixture record is written: its project (the project's or a sandbox's), its parent record, the load time. */
export interface FixtureContext {
  projectId: string;
  /** The record this one is nested in (the project fixture for top-level parts). */
  parent: { id: string } & Record<string, unknown>;
  /** When the fixtures are being loaded (the mock's clock), RFC 3339. */
  now: string;
}

/** A fixture record after validation, with created_at and updated_at filled (load time when absent). */
export type Stamped<T> = T & { id: string; created_at: string; updated_at: string };

/**
 * A family's part of the fixtures format: the key its records sit under in their parent record,
 * their schema (the wire shape; the loader adds `id`, `created_at`, `updated_at` and the keys of
 * the parts nested in it), and how one is written.
 */
export interface FixturePart<Repo, S extends z.ZodObject = z.ZodObject> {
  /** The property of the parent record that lists these records: `customers`, `whatsapp_configs`. */
  key: string;
  /** The family these records are nested in (absent: the project). */
  parent?: keyof Repositories;
  schema: S;
  /** A rule over the list of siblings (an agent has at most one primary link). */
  siblings?: { check: (records: z.output<S>[]) => boolean; message: string };
  /** Writes one record through the family's repository (inside the seeding transaction). */
  insert(repo: Repo, record: Stamped<z.output<S>>, ctx: FixtureContext): void;
}

export interface Resource<N extends keyof Repositories = keyof Repositories> {
  name: N;
  repository: (ctx: RepoContext) => Repositories[N];
  /** Registered under /api/v1. */
  routes?: FastifyPluginAsyncZod;
  fixtures?: FixturePart<Repositories[N], any>;
}

/** Declares a family (typed against its own repository). */
export const defineResource = <N extends keyof Repositories>(resource: Resource<N>): Resource<N> => resource;

/** A fixture part typed against its repository and schema. */
export const fixturePart = <Repo, S extends z.ZodObject>(part: FixturePart<Repo, S>): FixturePart<Repo, S> => part;
