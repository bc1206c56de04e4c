// Schema migrations, applied in order; PRAGMA user_version records the last one applied.
// Never edit a shipped migration: append a new one, so file databases upgrade in place.
import type { Database } from 'better-sqlite3';

const TIMESTAMPS = `created_at TEXT NOT NULL, updated_at TEXT NOT NULL`;

export const migrations: readonly string[] = [
  // 1: projects, customers, WhatsApp configs, agents and the links between agents and configs.
  `
  CREATE TABLE projects (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    api_key_hash TEXT NOT NULL UNIQUE, -- sha256 of the key; the key itself is never stored
    ${TIMESTAMPS}
  ) STRICT;

  CREATE TABLE customers (
    id                   TEXT PRIMARY KEY,
    project_id           TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name                 TEXT NOT NULL,
    external_customer_id TEXT NOT NULL,
    ${TIMESTAMPS},
    UNIQUE (project_id, external_customer_id)
  ) STRICT;
  CREATE INDEX customers_newest_first ON customers (project_id, created_at DESC, id DESC);

  CREATE TABLE whatsapp_configs (
    id                      TEXT PRIMARY KEY,
    project_id              TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    customer_id             TEXT REFERENCES customers (id) ON DELETE CASCADE,
    name                    TEXT NOT NULL,
    phone_number_id         TEXT NOT NULL,
    business_account_id     TEXT NOT NULL,
    webhook_verify_token    TEXT,
    webhook_destination_url TEXT,
    access_token            TEXT, -- write-only: no response schema lists it
    ${TIMESTAMPS},
    UNIQUE (project_id, phone_number_id)
  ) STRICT;
  CREATE INDEX whatsapp_configs_newest_first ON whatsapp_configs (customer_id, created_at DESC, id DESC);

  CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    description   TEXT,
    system_prompt TEXT,
    graph         TEXT, -- JSON
    ${TIMESTAMPS}
  ) STRICT;
  CREATE INDEX agents_newest_first ON agents (project_id, created_at DESC, id DESC);

  CREATE TABLE agent_whatsapp_configs (
    id                 TEXT PRIMARY KEY,
    agent_id           TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    whatsapp_config_id TEXT NOT NULL REFERENCES whatsapp_configs (id) ON DELETE CASCADE,
    is_primary         INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    ${TIMESTAMPS},
    UNIQUE (agent_id, whatsapp_config_id)
  ) STRICT;
  CREATE INDEX agent_whatsapp_configs_by_config ON agent_whatsapp_configs (whatsapp_config_id);
  -- The is_primary rule, enforced by the database: at most one primary link per agent.
  CREATE UNIQUE INDEX agent_whatsapp_configs_one_primary ON agent_whatsapp_configs (agent_id) WHERE is_primary = 1;
  -- Tenancy, enforced by the database: an agent links only configs of its own project.
  CREATE TRIGGER agent_whatsapp_configs_same_project BEFORE INSERT ON agent_whatsapp_configs
  WHEN (SELECT project_id FROM agents WHERE id = NEW.agent_id)
       IS NOT (SELECT project_id FROM whatsapp_configs WHERE id = NEW.whatsapp_config_id)
  BEGIN
    SELECT RAISE(ABORT, 'agent and WhatsApp config belong to different projects');
  END;
  `,
];

/** Applies the migrations this database has not seen yet; returns the version it started from. */
export function migrate(db: Database): number {
  const from = db.pragma('user_version', { simple: true }) as number;
  if (from > migrations.length) {
    throw new Error(`The database is at schema version ${from}, newer than this kapso-mock (${migrations.length}).`);
  }
  db.transaction(() => {
    for (let version = from; version < migrations.length; version++) {
      db.exec(migrations[version]!);
    }
    db.pragma(`user_version = ${migrations.length}`);
  }).immediate();
  return from;
}
