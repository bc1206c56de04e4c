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

  // 4 (the WhatsApp inbox): contacts and their notes, message templates, conversations and
  // messages. Two doors use these rows: /api/v1 and the Meta proxy (which reads templates by
  // business account, messages by WhatsApp message ID, pages with cursors). Phone numbers are
  // stored as digits only (15550102030), whatever spelling came in.
  `
  CREATE TABLE whatsapp_contacts (
    project_id   TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id           TEXT NOT NULL,
    wa_id        TEXT NOT NULL CHECK (wa_id GLOB '[0-9]*' AND wa_id NOT GLOB '*[^0-9]*'),
    profile_name TEXT,
    customer_id  TEXT, -- cleared when the customer goes (trigger below): the contact stays
    metadata     TEXT NOT NULL DEFAULT '{}', -- JSON object
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, wa_id)
  ) STRICT;
  CREATE INDEX whatsapp_contacts_newest_first ON whatsapp_contacts (project_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_contacts_by_customer ON whatsapp_contacts (project_id, customer_id, created_at DESC, id DESC);
  -- A composite foreign key cannot SET NULL one column of two (project_id is NOT NULL): the trigger does.
  CREATE TRIGGER whatsapp_contacts_customer_deleted AFTER DELETE ON customers BEGIN
    UPDATE whatsapp_contacts SET customer_id = NULL WHERE project_id = OLD.project_id AND customer_id = OLD.id;
  END;

  CREATE TABLE whatsapp_contact_notes (
    project_id TEXT NOT NULL,
    id         TEXT NOT NULL,
    contact_id TEXT NOT NULL,
    name       TEXT,
    content    TEXT NOT NULL,
    metadata   TEXT NOT NULL DEFAULT '{}', -- JSON object
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, contact_id) REFERENCES whatsapp_contacts (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_contact_notes_newest_first ON whatsapp_contact_notes (project_id, contact_id, created_at DESC, id DESC);

  -- A template belongs to a WhatsApp Business Account (every config of the project with that
  -- business_account_id can send it) and to the customer of the config it was made for.
  CREATE TABLE whatsapp_templates (
    project_id          TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    meta_template_id    TEXT NOT NULL CHECK (meta_template_id GLOB '[0-9]*' AND meta_template_id NOT GLOB '*[^0-9]*'),
    business_account_id TEXT NOT NULL,
    customer_id         TEXT,
    name                TEXT NOT NULL,
    language_code       TEXT NOT NULL,
    category            TEXT NOT NULL CHECK (category IN ('MARKETING', 'UTILITY', 'AUTHENTICATION')),
    status              TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected', 'disabled')),
    parameter_format    TEXT NOT NULL CHECK (parameter_format IN ('POSITIONAL', 'NAMED')),
    components          TEXT NOT NULL, -- JSON: Meta's components array (HEADER, BODY, FOOTER, BUTTONS)
    metadata            TEXT NOT NULL DEFAULT '{}', -- JSON object
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, meta_template_id),
    UNIQUE (project_id, business_account_id, name, language_code),
    FOREIGN KEY (project_id, customer_id) REFERENCES customers (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_templates_newest_first ON whatsapp_templates (project_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_templates_by_customer ON whatsapp_templates (project_id, customer_id, created_at DESC, id DESC);

  -- A conversation is a customer's phone number on one WhatsApp config; a number has at most one
  -- active conversation per config (new messages reuse it), and any number of ended ones.
  CREATE TABLE whatsapp_conversations (
    project_id         TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                 TEXT NOT NULL,
    whatsapp_config_id TEXT NOT NULL,
    phone_number       TEXT NOT NULL CHECK (phone_number GLOB '[0-9]*' AND phone_number NOT GLOB '*[^0-9]*'),
    status             TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    last_active_at     TEXT NOT NULL,
    last_inbound_at    TEXT, -- the 24-hour window runs from here
    last_outbound_at   TEXT,
    ended_at           TEXT,
    metadata           TEXT NOT NULL DEFAULT '{}', -- JSON object
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_conversations_last_active_first ON whatsapp_conversations (project_id, last_active_at DESC, id DESC);
  CREATE INDEX whatsapp_conversations_by_status ON whatsapp_conversations (project_id, status, last_active_at DESC, id DESC);
  CREATE INDEX whatsapp_conversations_by_number ON whatsapp_conversations (project_id, whatsapp_config_id, phone_number, last_inbound_at);
  CREATE UNIQUE INDEX whatsapp_conversations_one_active ON whatsapp_conversations (project_id, whatsapp_config_id, phone_number) WHERE status = 'active';
  -- The control plane names a conversation by ID alone (it finds the project from it).
  CREATE INDEX whatsapp_conversations_by_id ON whatsapp_conversations (id);

  CREATE TABLE whatsapp_messages (
    project_id          TEXT NOT NULL,
    id                  TEXT NOT NULL,
    conversation_id     TEXT NOT NULL,
    whatsapp_config_id  TEXT NOT NULL, -- the conversation's, kept here for the proxy's per-number views
    phone_number        TEXT NOT NULL, -- the customer's (digits), whichever the direction
    direction           TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    message_type        TEXT NOT NULL CHECK (message_type IN ('text', 'image', 'video', 'audio', 'document', 'template', 'location', 'interactive', 'reaction', 'contacts')),
    content             TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('received', 'sent', 'delivered', 'read', 'failed')),
    processing_status   TEXT NOT NULL CHECK (processing_status IN ('pending', 'processed')),
    whatsapp_message_id TEXT NOT NULL, -- wamid.…
    media_url           TEXT,
    message_type_data   TEXT NOT NULL, -- JSON object
    metadata            TEXT NOT NULL DEFAULT '{}', -- JSON object
    template_id         TEXT,
    error               TEXT, -- JSON: Meta's error object of a failed message
    sent_at             TEXT,
    delivered_at        TEXT,
    read_at             TEXT,
    failed_at           TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, whatsapp_message_id),
    FOREIGN KEY (project_id, conversation_id) REFERENCES whatsapp_conversations (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_messages_newest_first ON whatsapp_messages (project_id, conversation_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_messages_by_id ON whatsapp_messages (id);
  -- What the automatic status moves (lib/scheduler.ts) read: outbound messages waiting for their next status.
  CREATE INDEX whatsapp_messages_awaiting_delivery ON whatsapp_messages (sent_at) WHERE direction = 'outbound' AND status = 'sent';
  CREATE INDEX whatsapp_messages_awaiting_read ON whatsapp_messages (delivered_at) WHERE direction = 'outbound' AND status = 'delivered';
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
