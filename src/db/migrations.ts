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

  // 4: setup links, WhatsApp sandbox sessions, flows and flow executions, and the
  // fields of the API's later revision that the project-wide GET /whatsapp_configs shows.
  `
  ALTER TABLE whatsapp_configs ADD COLUMN kind TEXT NOT NULL DEFAULT 'production' CHECK (kind IN ('production', 'sandbox'));
  ALTER TABLE whatsapp_configs ADD COLUMN display_phone_number TEXT; -- as Meta formats it: "+1 555-010-2030"
  ALTER TABLE whatsapp_configs ADD COLUMN is_coexistence INTEGER NOT NULL DEFAULT 0 CHECK (is_coexistence IN (0, 1));
  ALTER TABLE whatsapp_configs ADD COLUMN webhook_verified_at TEXT;
  ALTER TABLE whatsapp_configs ADD COLUMN inbound_processing_enabled INTEGER NOT NULL DEFAULT 1 CHECK (inbound_processing_enabled IN (0, 1));
  ALTER TABLE whatsapp_configs ADD COLUMN calls_enabled INTEGER NOT NULL DEFAULT 0 CHECK (calls_enabled IN (0, 1));
  CREATE INDEX whatsapp_configs_project_newest_first ON whatsapp_configs (project_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_configs_by_business_account ON whatsapp_configs (project_id, business_account_id, created_at DESC, id DESC);

  CREATE TABLE setup_links (
    project_id  TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id          TEXT NOT NULL,
    customer_id TEXT NOT NULL,
    -- 'active' past expires_at reads as expired; it is stored as 'expired' when a newer link replaces it.
    status      TEXT NOT NULL CHECK (status IN ('active', 'used', 'expired', 'revoked')),
    url         TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, customer_id) REFERENCES customers (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX setup_links_newest_first ON setup_links (project_id, customer_id, created_at DESC, id DESC);
  -- Creating a link revokes the customer's other active links: at most one is stored as active.
  CREATE UNIQUE INDEX setup_links_one_active ON setup_links (project_id, customer_id) WHERE status = 'active';

  CREATE TABLE whatsapp_sandbox_sessions (
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    agent_id        TEXT NOT NULL,
    phone_number    TEXT NOT NULL, -- digits only
    status          TEXT NOT NULL CHECK (status IN ('pending_activation', 'active')),
    activation_code TEXT NOT NULL,
    activated_at    TEXT,
    expires_at      TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, phone_number),
    UNIQUE (project_id, activation_code),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_sandbox_sessions_newest_first ON whatsapp_sandbox_sessions (project_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_sandbox_sessions_by_agent ON whatsapp_sandbox_sessions (project_id, agent_id);

  CREATE TABLE flows (
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    name            TEXT NOT NULL,
    description     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('draft', 'active', 'archived')),
    api_trigger     INTEGER NOT NULL DEFAULT 1 CHECK (api_trigger IN (0, 1)), -- an active API trigger (createFlowExecution needs one)
    steps           TEXT NOT NULL DEFAULT '[]', -- JSON [{id, name, step_type}]: where an execution can be
    created_by_id   TEXT,
    created_by_name TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id)
  ) STRICT;
  CREATE INDEX flows_newest_first ON flows (project_id, created_at DESC, id DESC);
  CREATE INDEX flows_by_status ON flows (project_id, status, created_at DESC, id DESC);

  CREATE TABLE flow_executions (
    project_id        TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                TEXT NOT NULL,
    flow_id           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('running', 'waiting', 'ended', 'failed')),
    started_at        TEXT NOT NULL,
    ended_at          TEXT,
    last_event_at     TEXT,
    tracking_id       TEXT,
    current_step      TEXT, -- JSON {id, name, step_type}
    execution_context TEXT NOT NULL DEFAULT '{}', -- JSON
    variables         TEXT NOT NULL DEFAULT '{}', -- JSON
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, tracking_id),
    FOREIGN KEY (project_id, flow_id) REFERENCES flows (project_id, id) ON DELETE CASCADE,
    CHECK ((status IN ('ended', 'failed')) = (ended_at IS NOT NULL))
  ) STRICT;
  -- A flow's executions newest first, filtered by status or not; execution_count and last_executed_at read it too.
  CREATE INDEX flow_executions_newest_first ON flow_executions (project_id, flow_id, started_at DESC, id DESC);
  CREATE INDEX flow_executions_by_status ON flow_executions (project_id, flow_id, status, started_at DESC, id DESC);
  `,

  // 5: the agents platform's snapshots, test chats, test suites, test cases and
  // test runs, and each project's AI settings (credits, test-chat latency) for the control plane.
  // JSON columns hold graphs and conversations as the API shows them.
  `
  CREATE TABLE agent_snapshots (
    project_id    TEXT NOT NULL,
    id            TEXT NOT NULL,
    agent_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    system_prompt TEXT,          -- the agent's at the time: the snapshot's test chats answer with it
    graph         TEXT NOT NULL, -- JSON
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX agent_snapshots_by_agent ON agent_snapshots (project_id, agent_id, created_at DESC, id DESC);

  CREATE TABLE agent_test_chats (
    project_id        TEXT NOT NULL,
    id                TEXT NOT NULL,
    agent_id          TEXT NOT NULL,
    agent_snapshot_id TEXT,
    status            TEXT NOT NULL CHECK (status IN ('processing', 'completed', 'error')),
    conversation      TEXT NOT NULL, -- JSON: [{role, content}], the turns shown
    pending_reply     TEXT,          -- the assistant turn being processed (status processing)
    reply_at          TEXT,          -- when it lands on the mock's clock; NULL while the control plane holds it
    current_node      TEXT,          -- the graph node the simulated agent is at
    error             TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, agent_snapshot_id) REFERENCES agent_snapshots (project_id, id) ON DELETE CASCADE,
    CHECK (pending_reply IS NULL OR status = 'processing')
  ) STRICT;
  CREATE INDEX agent_test_chats_by_agent ON agent_test_chats (project_id, agent_id, created_at DESC, id DESC);
  CREATE INDEX agent_test_chats_by_snapshot ON agent_test_chats (project_id, agent_snapshot_id) WHERE agent_snapshot_id IS NOT NULL;

  CREATE TABLE test_suites (
    project_id  TEXT NOT NULL,
    id          TEXT NOT NULL,
    agent_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX test_suites_newest_first ON test_suites (project_id, agent_id, created_at DESC, id DESC);

  CREATE TABLE test_cases (
    project_id    TEXT NOT NULL,
    id            TEXT NOT NULL,
    test_suite_id TEXT NOT NULL,
    name          TEXT NOT NULL,
    description   TEXT,
    script        TEXT NOT NULL,
    rubric        TEXT NOT NULL,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, test_suite_id) REFERENCES test_suites (project_id, id) ON DELETE CASCADE
  ) STRICT;
  -- A suite shows its cases in the order they were written.
  CREATE INDEX test_cases_by_suite ON test_cases (project_id, test_suite_id, created_at, id);

  CREATE TABLE test_runs (
    project_id          TEXT NOT NULL,
    id                  TEXT NOT NULL,
    test_case_id        TEXT NOT NULL,
    thread_id           TEXT NOT NULL,
    started_at          TEXT,
    ended_at            TEXT,
    score               REAL,
    feedback            TEXT,
    execution_completed INTEGER NOT NULL DEFAULT 0 CHECK (execution_completed IN (0, 1)),
    conversation        TEXT, -- JSON
    full_history        TEXT, -- JSON
    error               TEXT, -- JSON
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, test_case_id) REFERENCES test_cases (project_id, id) ON DELETE CASCADE,
    CHECK (score IS NULL OR (score >= 0 AND score <= 10))
  ) STRICT;
  CREATE INDEX test_runs_by_case ON test_runs (project_id, test_case_id, created_at DESC, id DESC);

  -- No row: unlimited credits and replies without delay (the defaults).
  CREATE TABLE agent_settings (
    project_id           TEXT PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
    credits              INTEGER CHECK (credits IS NULL OR credits >= 0), -- NULL: unlimited
    test_chat_latency_ms INTEGER NOT NULL DEFAULT 0 CHECK (test_chat_latency_ms >= 0),
    updated_at           TEXT NOT NULL
  ) STRICT;
  `,

  // 6: the WhatsApp inbox: contacts and their notes, message templates, conversations and
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

  // 7: the Meta proxy's own data (media, whatsapp-flows, phone-numbers, business-profiles, usernames,
  // blocked-users, calls): what only /meta/whatsapp shows. Every row hangs off a WhatsApp config
  // (the proxy's phone number) and goes with it, except WhatsApp Flows, which belong to a business
  // account (the business_account_id configs carry) and stay when its configs go. Records have a
  // UUID id like every other; the Graph-style ID the proxy shows (media_id, flow_id, call_id) is a
  // column of its own, unique in the project.
  `
  -- The proxy finds configs by business account (GET /{business_account_id}/phone_numbers, Flows).
  -- Lookups by business account use whatsapp_configs_by_business_account (migration 4), whose prefix is (project_id, business_account_id).

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

  // 8: agent executions and the conversations they run in, project users and conversation
  // assignments (the agent executions and conversation assignments families). An execution that
  // failed reads `ended` on /api/v1 (API-DECISIONS): `failed` keeps what the control plane shows.
  `
  CREATE TABLE agent_executions (
    project_id     TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id             TEXT NOT NULL,
    agent_id       TEXT NOT NULL,
    thread_id      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('started', 'running', 'paused', 'ended', 'handoff')),
    failed         INTEGER NOT NULL DEFAULT 0 CHECK (failed IN (0, 1)),
    reason         TEXT, -- given with the last handoff or failure (the control plane shows it)
    started_at     TEXT NOT NULL,
    ended_at       TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE,
    CHECK ((status = 'ended') = (ended_at IS NOT NULL)),
    CHECK (failed = 0 OR status = 'ended'),
    CHECK (ended_at IS NULL OR ended_at >= started_at)
  ) STRICT;
  -- An agent's executions newest first by started_at, filtered by status or by ended_at or not.
  CREATE INDEX agent_executions_newest_first ON agent_executions (project_id, agent_id, started_at DESC, id DESC);
  CREATE INDEX agent_executions_by_status ON agent_executions (project_id, agent_id, status, started_at DESC, id DESC);
  CREATE INDEX agent_executions_by_ended_at ON agent_executions (project_id, agent_id, ended_at);
  -- The control plane names an execution by ID alone (it finds the project from it).
  CREATE INDEX agent_executions_by_id ON agent_executions (id);

  -- An execution runs in at most one conversation; a conversation has at most one active execution
  -- association at a time (a new execution on it takes over). active: the execution has not ended.
  CREATE TABLE whatsapp_conversation_agent_executions (
    project_id         TEXT NOT NULL,
    id                 TEXT NOT NULL,
    conversation_id    TEXT NOT NULL,
    agent_execution_id TEXT NOT NULL,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    handoff_reason     TEXT,
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, agent_execution_id),
    FOREIGN KEY (project_id, conversation_id) REFERENCES whatsapp_conversations (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, agent_execution_id) REFERENCES agent_executions (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_conversation_agent_executions_newest_first
    ON whatsapp_conversation_agent_executions (project_id, conversation_id, created_at DESC, id DESC);
  CREATE UNIQUE INDEX whatsapp_conversation_agent_executions_one_active
    ON whatsapp_conversation_agent_executions (project_id, conversation_id) WHERE active = 1;

  -- The people of a project (the spec has no users endpoint: they come from the fixtures and the
  -- control plane). A user who left the project stays (active 0): their assignments keep their ID.
  CREATE TABLE project_users (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    name       TEXT NOT NULL,
    email      TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    UNIQUE (project_id, email)
  ) STRICT;
  CREATE INDEX project_users_newest_first ON project_users (project_id, created_at DESC, id DESC);

  CREATE TABLE conversation_assignments (
    project_id         TEXT NOT NULL,
    id                 TEXT NOT NULL,
    conversation_id    TEXT NOT NULL,
    user_id            TEXT NOT NULL,
    active             INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    notes              TEXT,
    created_by_user_id TEXT, -- NULL when made through the API (an API key is no user)
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, conversation_id) REFERENCES whatsapp_conversations (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, user_id) REFERENCES project_users (project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (project_id, created_by_user_id) REFERENCES project_users (project_id, id)
  ) STRICT;
  CREATE INDEX conversation_assignments_newest_first ON conversation_assignments (project_id, conversation_id, created_at DESC, id DESC);
  -- The user foreign keys' lookups when a user goes (with their project).
  CREATE INDEX conversation_assignments_by_user ON conversation_assignments (project_id, user_id);
  CREATE INDEX conversation_assignments_by_creator ON conversation_assignments (project_id, created_by_user_id);
  -- At most one active assignment per conversation, also under concurrent requests.
  CREATE UNIQUE INDEX conversation_assignments_one_active ON conversation_assignments (project_id, conversation_id) WHERE active = 1;
  `,

  // 9: outbound webhooks as Kapso sends them (the webhooks family). WhatsApp webhooks belong to a config (the
  // API's CRUD), agent webhooks to an agent (the control plane and fixtures). Deliveries and the
  // inactivity timers are the dispatcher's own (mock_*: never in a snapshot), removed with their
  // project; a delivery is a row written in the transaction of the change that caused it, so a
  // file database resumes pending deliveries after a restart or a crash.
  `
  CREATE TABLE whatsapp_webhooks (
    project_id            TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id                    TEXT NOT NULL,
    whatsapp_config_id    TEXT NOT NULL,
    url                   TEXT NOT NULL,
    secret_key            TEXT NOT NULL,
    events                TEXT NOT NULL, -- JSON array of event names
    active                INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    headers               TEXT, -- JSON object of custom headers; NULL: none
    buffer_enabled        INTEGER NOT NULL DEFAULT 0 CHECK (buffer_enabled IN (0, 1)),
    buffer_window_seconds INTEGER NOT NULL DEFAULT 5 CHECK (buffer_window_seconds BETWEEN 1 AND 60),
    max_buffer_size       INTEGER NOT NULL DEFAULT 50 CHECK (max_buffer_size BETWEEN 1 AND 100),
    buffer_events         TEXT NOT NULL DEFAULT '["whatsapp.message.received"]', -- JSON array
    inactivity_minutes    INTEGER NOT NULL DEFAULT 60 CHECK (inactivity_minutes BETWEEN 1 AND 1440),
    payload_version       TEXT NOT NULL DEFAULT 'v2' CHECK (payload_version IN ('v1', 'v2')),
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, whatsapp_config_id) REFERENCES whatsapp_configs (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX whatsapp_webhooks_newest_first ON whatsapp_webhooks (project_id, whatsapp_config_id, created_at DESC, id DESC);
  -- Every WhatsApp event reads its config's active webhooks.
  CREATE INDEX whatsapp_webhooks_active ON whatsapp_webhooks (project_id, whatsapp_config_id) WHERE active = 1;
  -- The control plane names a webhook by ID alone (it finds the project from it).
  CREATE INDEX whatsapp_webhooks_by_id ON whatsapp_webhooks (id);

  CREATE TABLE agent_webhooks (
    project_id TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    agent_id   TEXT NOT NULL,
    url        TEXT NOT NULL,
    secret_key TEXT NOT NULL,
    events     TEXT NOT NULL, -- JSON array of agent_execution_* event names
    active     INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    headers    TEXT, -- JSON object of custom headers; NULL: none
    ${TIMESTAMPS},
    PRIMARY KEY (project_id, id),
    FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE
  ) STRICT;
  CREATE INDEX agent_webhooks_by_agent ON agent_webhooks (project_id, agent_id, created_at DESC, id DESC);
  CREATE INDEX agent_webhooks_by_id ON agent_webhooks (id);

  -- One row per request body to send: a single event, a batch (is_batch), or an event held in a
  -- batch (status batched, batch_id) that becomes a single delivery again if the batch fails.
  -- Times are mock-clock milliseconds. next_attempt_at is NULL while an attempt is in flight and
  -- once the delivery is finished.
  CREATE TABLE mock_webhook_deliveries (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT, -- the order events happened in (batch_info's sequences)
    id              TEXT NOT NULL UNIQUE,
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    webhook_kind    TEXT NOT NULL CHECK (webhook_kind IN ('whatsapp', 'agent')),
    webhook_id      TEXT NOT NULL,
    event           TEXT NOT NULL,
    conversation_id TEXT,
    order_key       TEXT, -- deliveries of one webhook with the same key go in order: the conversation (an agent execution's events: the execution)
    status          TEXT NOT NULL CHECK (status IN ('buffering', 'pending', 'delivered', 'failed', 'batched')),
    is_batch        INTEGER NOT NULL DEFAULT 0 CHECK (is_batch IN (0, 1)),
    batch_id        TEXT, -- batched: the batch holding it; after a failed batch: the batch it fell back from
    origin          TEXT NOT NULL DEFAULT 'event' CHECK (origin IN ('event', 'fallback', 'redelivery', 'test')),
    origin_id       TEXT, -- the delivery a redelivery repeats
    url             TEXT NOT NULL,
    headers         TEXT NOT NULL, -- JSON: every header sent (the signature, never the secret)
    payload_version TEXT NOT NULL,
    body            TEXT NOT NULL, -- the exact bytes sent ('' for a batch still buffering)
    idempotency_key TEXT NOT NULL,
    attempts        TEXT NOT NULL DEFAULT '[]', -- JSON: [{at, status, error, duration_ms, ...}]
    attempt_count   INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    order_deadline  INTEGER, -- goes at this time even if earlier deliveries of its conversation still wait
    window_ms       INTEGER, -- a batch: its webhook's buffer window
    max_size        INTEGER, -- a batch: its webhook's max_buffer_size
    created_at      INTEGER NOT NULL,
    delivered_at    INTEGER,
    failed_at       INTEGER,
    error           TEXT -- why a failed delivery failed: its last attempt's error, or a cancellation
  ) STRICT;
  CREATE INDEX mock_webhook_deliveries_due ON mock_webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL;
  -- Ordering per conversation and webhook, and the open buffer of a conversation.
  CREATE INDEX mock_webhook_deliveries_waiting ON mock_webhook_deliveries (webhook_id, order_key, seq) WHERE status IN ('buffering', 'pending');
  CREATE INDEX mock_webhook_deliveries_batch_items ON mock_webhook_deliveries (batch_id, seq) WHERE batch_id IS NOT NULL;
  CREATE INDEX mock_webhook_deliveries_finished ON mock_webhook_deliveries (seq) WHERE status IN ('delivered', 'failed');
  CREATE INDEX mock_webhook_deliveries_by_project ON mock_webhook_deliveries (project_id, seq);

  -- whatsapp.conversation.inactive: one timer per webhook and active conversation, armed by the
  -- conversation's activity, fired once per quiet spell (the last_active_at it was armed for).
  CREATE TABLE mock_webhook_inactivity (
    project_id      TEXT NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    webhook_id      TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    last_active_at  TEXT NOT NULL,
    due_at          INTEGER NOT NULL,
    fired           INTEGER NOT NULL DEFAULT 0 CHECK (fired IN (0, 1)),
    PRIMARY KEY (project_id, webhook_id, conversation_id)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX mock_webhook_inactivity_due ON mock_webhook_inactivity (due_at) WHERE fired = 0;
  `,

  // 10: the Meta proxy's inbox half (meta-proxy part 2: messages, conversations, contacts, templates
  // through /meta/whatsapp on the same rows as /api/v1). A message sent through the proxy keeps the
  // object it was sent as (Meta's shape: stickers, CTA URL, Flow and location-request messages have
  // no /api/v1 type of their own); contacts get the proxy's display_name and the marketing opt-out;
  // conversations who handles them on a shared number (thread control). Indexes for the proxy's
  // per-number lists and its filters.
  `
  ALTER TABLE whatsapp_messages ADD COLUMN graph TEXT; -- JSON {type, <type>: {...}, context?} as sent through the proxy; null from other doors
  CREATE INDEX whatsapp_messages_by_number ON whatsapp_messages (project_id, whatsapp_config_id, created_at DESC, id DESC);
  CREATE INDEX whatsapp_messages_by_number_direction ON whatsapp_messages (project_id, whatsapp_config_id, direction, created_at DESC, id DESC);
  CREATE INDEX whatsapp_messages_by_number_status ON whatsapp_messages (project_id, whatsapp_config_id, status, created_at DESC, id DESC);
  CREATE INDEX whatsapp_messages_by_number_conversation ON whatsapp_messages (project_id, whatsapp_config_id, conversation_id, created_at DESC, id DESC);
  ALTER TABLE whatsapp_contacts ADD COLUMN display_name TEXT;
  ALTER TABLE whatsapp_contacts ADD COLUMN marketing_stopped_at TEXT; -- the user asked WhatsApp to stop marketing messages
  ALTER TABLE whatsapp_conversations ADD COLUMN thread_owner TEXT NOT NULL DEFAULT 'kapso' CHECK (thread_owner IN ('kapso', 'other'));
  CREATE INDEX whatsapp_conversations_by_config ON whatsapp_conversations (project_id, whatsapp_config_id, last_active_at DESC, id DESC);
  CREATE INDEX whatsapp_conversations_by_config_status ON whatsapp_conversations (project_id, whatsapp_config_id, status, last_active_at DESC, id DESC);
  CREATE INDEX whatsapp_templates_by_business_account ON whatsapp_templates (project_id, business_account_id, created_at DESC, id DESC);
  `,

  // 11: the conversation list's filter by phone number, in the list's order: without it a page of a
  // rare number walked every conversation of the project (1.7 s at 1M rows). (The filter by config
  // uses migration 10's whatsapp_conversations_by_config.)
  `
  CREATE INDEX whatsapp_conversations_by_phone ON whatsapp_conversations (project_id, phone_number, last_active_at DESC, id DESC);
  `,

  // 12: snapshots kept as tables: a snapshot's rows are copies of the data tables, mock_snap_<seq>_<table>
  // (no indexes), made and read back by one INSERT ... SELECT per table: restoring 300,000 rows from
  // one JSON document took 15 s. A snapshot made before this migration keeps its JSON in `state`
  // and is restored from it as before.
  `
  CREATE TABLE mock_snapshots_12 (
    name       TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    seq        INTEGER UNIQUE, -- its tables are mock_snap_<seq>_<table>; NULL for a JSON snapshot
    state      TEXT,           -- JSON { table: rows[] } of a snapshot made before migration 12
    CHECK ((seq IS NULL) <> (state IS NULL))
  ) STRICT;
  INSERT INTO mock_snapshots_12 (name, created_at, state) SELECT name, created_at, state FROM mock_snapshots;
  DROP TABLE mock_snapshots;
  ALTER TABLE mock_snapshots_12 RENAME TO mock_snapshots;
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
