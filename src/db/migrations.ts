// Schema migrations, applied in order; PRAGMA user_version records the last one applied.
// Never edit a shipped migration: append a new one, so file databases upgrade in place.
import type { Database } from 'better-sqlite3';

const TIMESTAMPS = `created_at TEXT NOT NULL, updated_at TEXT NOT NULL`;

export const migrations: readonly string[] = [
  // 1: projects, customers, WhatsApp configs, agents and the links between agents and configs.
  // Records are keyed by (project_id, id): tenancy is part of every key and every foreign key,
  // so a row can only ever reference rows of its own project, and a sandbox project can hold
  // copies of the fixtures under the same IDs as the project they were copied from.
  `
  CREATE TABLE projects (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    api_key_hash TEXT NOT NULL UNIQUE, -- sha256 of the key; the key itself is never stored
    ${TIMESTAMPS}
  ) STRICT;

  CREATE TABLE customers (
    project_id           TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                   TEXT NOT NULL,
    name                 TEXT NOT NULL,
    external_customer_id TEXT NOT NULL,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, external_customer_id)
  ) STRICT;
  CREATE INDEX customers_newest_first ON customers (project_id, created_at DESC, id DESC);

  CREATE TABLE whatsapp_configs (
    project_id              TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                      TEXT NOT NULL,
    customer_id             TEXT,
    name                    TEXT NOT NULL,
    phone_number_id         TEXT NOT NULL,
    business_account_id     TEXT NOT NULL,
    webhook_verify_token    TEXT,
    webhook_destination_url TEXT,
    access_token            TEXT, -- write-only: no response schema lists it
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, phone_number_id),
    FOREIGN KEY (project_id, customer_id) REFERENCES customers (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_configs_newest_first ON whatsapp_configs (project_id, customer_id, created_at DESC, id DESC);

  CREATE TABLE agents (
    project_id    TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id            TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT,
    system_prompt TEXT,
    graph         TEXT, -- JSON
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id)
  ) STRICT;
  CREATE INDEX agents_newest_first ON agents (project_id, created_at DESC, id DESC);

  CREATE TABLE agent_whatsapp_configs (
    project_id         TEXT NOT NULL,
    id                 TEXT NOT NULL,
    agent_id           TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    is_primary         INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, agent_id, whatsapp_config_id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX agent_whatsapp_configs_newest_first ON agent_whatsapp_configs (project_id, agent_id, created_at DESC, id DESC);
  CREATE INDEX agent_whatsapp_configs_by_config ON agent_whatsapp_configs (project_id, whatsapp_config_id);
  -- The is_primary rule, enforced by the database: at most one primary link per agent.
  CREATE UNIQUE INDEX agent_whatsapp_configs_one_primary ON agent_whatsapp_configs (project_id, agent_id) WHERE is_primary = 1;
  `,

  // 2: the control plane (/__admin): where a project came from, and saved snapshots of the state.
  // Tables named mock_* belong to the mock itself and are never part of a snapshot.
  `
  ALTER TABLE projects ADD COLUMN origin TEXT NOT NULL DEFAULT 'fixtures' CHECK (origin IN ('fixtures', 'sandbox', 'auto'));
  ALTER TABLE projects ADD COLUMN seeded_from TEXT; -- the fixture project a sandbox was copied from

  CREATE TABLE mock_snapshots (
    name       TEXT PRIMARY KEY,
    state      TEXT NOT NULL, -- JSON: { table: rows[] }
    created_at TEXT NOT NULL
  ) STRICT;
  `,

  // 3: row counts of every paginated list by scope (project, parent record), kept by triggers that
  // lib/list-query.ts creates for each list it declares: an unfiltered page reads its total here
  // instead of counting. A mock_* table: never part of a snapshot, always true to the data.
  `
  CREATE TABLE mock_counts (
    list  TEXT NOT NULL,
    scope TEXT NOT NULL,
    n     INTEGER NOT NULL,
    PRIMARY KEY (list, scope)
  ) STRICT, WITHOUT ROWID;
  `,

  // 4: the Meta proxy's own data (media, whatsapp-flows, phone-numbers, business-profiles, usernames,
  // blocked-users, calls): what only /meta/whatsapp shows. Every row hangs off a WhatsApp config
  // (the proxy's phone number) and goes with it, except WhatsApp Flows, which belong to a business
  // account (the business_account_id configs carry) and stay when its configs go. Records have a
  // UUID id like every other; the Graph-style ID the proxy shows (media_id, flow_id, call_id) is a
  // column of its own, unique in the project.
  `
  -- The proxy finds configs by business account (GET /{business_account_id}/phone_numbers, Flows).
  CREATE INDEX whatsapp_configs_by_business_account ON whatsapp_configs (project_id, business_account_id);

  CREATE TABLE media (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    media_id           TEXT NOT NULL, -- 16 digits starting 71 (lib/ids.ts)
    whatsapp_config_id TEXT NOT NULL, -- the phone number it was uploaded to
    mime_type          TEXT NOT NULL,
    sha256             TEXT NOT NULL,
    file_size          INTEGER NOT NULL,
    filename           TEXT,
    bytes              BLOB NOT NULL,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, media_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX media_by_config ON media (project_id, whatsapp_config_id);

  CREATE TABLE whatsapp_flows (
    project_id          TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    flow_id             TEXT NOT NULL, -- 16 digits starting 72 (lib/ids.ts)
    business_account_id TEXT NOT NULL,
    name                TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'DEPRECATED', 'BLOCKED', 'THROTTLED')),
    categories          TEXT NOT NULL, -- JSON array
    endpoint_uri        TEXT,
    application_id      TEXT,
    flow_json           TEXT,          -- the flow.json asset as uploaded (NULL: none yet)
    validation_errors   TEXT NOT NULL DEFAULT '[]', -- JSON array: what is wrong with flow_json
    preview_token       TEXT NOT NULL, -- signs the preview link; drawn again by preview.invalidate(true)
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, flow_id),
    UNIQUE (project_id, business_account_id, name)
  ) STRICT;
  CREATE INDEX whatsapp_flows_newest_first ON whatsapp_flows (project_id, business_account_id, created_at DESC, id DESC);

  CREATE TABLE phone_numbers (
    project_id                   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                           TEXT NOT NULL,
    whatsapp_config_id           TEXT NOT NULL,
    display_phone_number         TEXT NOT NULL,
    verified_name                TEXT NOT NULL,
    quality_rating               TEXT NOT NULL CHECK (quality_rating IN ('GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN')),
    code_verification_status     TEXT NOT NULL CHECK (code_verification_status IN ('NOT_VERIFIED', 'VERIFIED', 'EXPIRED')),
    name_status                  TEXT NOT NULL,
    new_name_status              TEXT NOT NULL,
    is_official_business_account INTEGER NOT NULL CHECK (is_official_business_account IN (0, 1)),
    account_mode                 TEXT NOT NULL CHECK (account_mode IN ('SANDBOX', 'LIVE')),
    messaging_limit_tier         TEXT NOT NULL,
    throughput_level             TEXT NOT NULL,
    registered                   INTEGER NOT NULL CHECK (registered IN (0, 1)),
    pin                          TEXT, -- two-step verification PIN: write-only
    verification_code            TEXT, -- sent by request_code, until verify_code uses it
    fallback_language            TEXT,
    calling                      TEXT NOT NULL, -- JSON: the calling settings
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_config_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE business_profiles (
    project_id          TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    whatsapp_config_id  TEXT NOT NULL,
    about               TEXT,
    address             TEXT,
    description         TEXT,
    email               TEXT,
    vertical            TEXT,
    websites            TEXT NOT NULL DEFAULT '[]', -- JSON array
    profile_picture_url TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_config_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE usernames (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    username           TEXT NOT NULL, -- lowercase
    status             TEXT NOT NULL CHECK (status IN ('reserved', 'approved')),
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_config_id),
    UNIQUE (project_id, username),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE blocked_users (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    wa_id              TEXT NOT NULL, -- digits only
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_config_id, wa_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX blocked_users_newest_first ON blocked_users (project_id, whatsapp_config_id, created_at DESC, id DESC);

  CREATE TABLE calls (
    project_id               TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                       TEXT NOT NULL,
    whatsapp_config_id       TEXT NOT NULL,
    call_id                  TEXT NOT NULL, -- wacid.…
    direction                TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    status                   TEXT NOT NULL CHECK (status IN ('initiated', 'ringing', 'answered', 'completed', 'failed')),
    user_wa_id               TEXT NOT NULL, -- digits only
    pre_accepted             INTEGER NOT NULL DEFAULT 0 CHECK (pre_accepted IN (0, 1)),
    biz_opaque_callback_data TEXT,
    started_at               TEXT,
    session_started_at       TEXT,
    ended_at                 TEXT,
    duration_seconds         INTEGER,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, call_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX calls_newest_first ON calls (project_id, whatsapp_config_id, created_at DESC, id DESC);
  CREATE INDEX calls_by_user ON calls (project_id, whatsapp_config_id, user_wa_id, created_at);

  CREATE TABLE call_permissions (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    user_wa_id         TEXT NOT NULL, -- digits only
    expires_at         TEXT NOT NULL, -- a temporary permission; past this moment there is none
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_config_id, user_wa_id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;

  CREATE TABLE call_permission_requests (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    user_wa_id         TEXT NOT NULL, -- digits only
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX call_permission_requests_by_user ON call_permission_requests (project_id, whatsapp_config_id, user_wa_id, created_at);
  `,
];

/** Applies the migrations this database has not seen yet; returns the version it started from. */
export function migrate(db: Database): number {
  const from = db.prepare<[], number>('PRAGMA user_version').pluck().get()!;
  if (from > migrations.length) {
    throw new Error(`The database is at schema version ${from}, newer than this kapso-mock (${migrations.length}).`);
  }
  db.transaction(() => {
    for (let version = from; version < migrations.length; version++) {
      db.exec(migrations[version]!);
    }
    db.exec(`PRAGMA user_version = ${migrations.length}`);
  }).immediate();
  return from;
}
