// Kapso's WhatsApp sandbox sessions: a developer binds their own phone to Kapso's shared sandbox
// number and an agent, by sending the session's activation code from that phone. (Not the mock's
// own sandbox projects under /__admin/projects.) A phone number is bound once per project; a
// session is valid for 24 hours from its creation.
import { randomInt } from 'node:crypto';
import { uniqueRules } from '../../db/constraints.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { toAgent } from '../agents/repository.js';
import type { SandboxSession, SandboxSessionInput } from './schemas.js';
import { phoneDigits } from './schemas.js';

/** Kapso's shared sandbox number as the mock plays it (+1 415-555-0100, a number reserved for fiction). */
export const SANDBOX_NUMBER = '14155550100';

/** How long a session is valid after it was created. */
export const SANDBOX_SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/** Activation codes: six characters that cannot be misread (no 0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const ACTIVATION_CODE = /^[A-Z0-9]{6}$/;

export interface SandboxSessionRecord {
  id: string;
  agent_id: string;
  /** Digits only. */
  phone_number: string;
  status: 'pending_activation' | 'active';
  activation_code: string;
  activated_at: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

type SessionRow = Omit<SandboxSessionRecord, 'agent_id'> & {
  a_project_id: string; a_id: string; a_name: string; a_description: string | null; a_created_at: string; a_updated_at: string;
};

const COLUMNS = `s.id, s.phone_number, s.status, s.activation_code, s.activated_at, s.expires_at, s.created_at, s.updated_at,
  a.project_id AS a_project_id, a.id AS a_id, a.name AS a_name, a.description AS a_description,
  a.created_at AS a_created_at, a.updated_at AS a_updated_at`;
const JOIN = 'JOIN agents a ON a.project_id = s.project_id AND a.id = s.agent_id';
const TYPE = 'whatsapp_sandbox_session';

export const expiryOf = (iso: string): string => new Date(Date.parse(iso) + SANDBOX_SESSION_TTL_MS).toISOString();

const toSession = (row: SessionRow): SandboxSession => ({
  id: row.id,
  phone_number: `+${row.phone_number}`,
  status: row.status,
  activation_code: row.activation_code,
  activation_message: `Your WhatsApp Sandbox activation code is: ${row.activation_code}`,
  activation_link: `https://wa.me/${SANDBOX_NUMBER}?text=${row.activation_code}`,
  activated_at: row.activated_at,
  expires_at: row.expires_at,
  created_at: row.created_at,
  updated_at: row.updated_at,
  agent: toAgent({
    project_id: row.a_project_id, id: row.a_id, name: row.a_name, description: row.a_description,
    system_prompt: null, graph: null, created_at: row.a_created_at, updated_at: row.a_updated_at,
  }),
});

/** GET /sandbox_sessions: the project's sessions with their agents, newest first. */
export const SandboxSessionList = defineList<SessionRow, SandboxSession>({
  name: 'whatsapp_sandbox_sessions',
  table: 'whatsapp_sandbox_sessions',
  alias: 's',
  join: JOIN,
  columns: COLUMNS,
  scope: ['project_id'],
  pagination: 'meta',
  map: toSession,
});

/** What activating a session found. */
export type Activation =
  | { outcome: 'activated' | 'already_active'; session: SandboxSession }
  | { outcome: 'expired'; session: SandboxSession }
  | { outcome: 'missing' };

export function createSandboxSessionRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[SandboxSessionRecord & { project_id: string }]>(
    `INSERT INTO whatsapp_sandbox_sessions (project_id, id, agent_id, phone_number, status, activation_code, activated_at, expires_at, created_at, updated_at)
     VALUES (@project_id, @id, @agent_id, @phone_number, @status, @activation_code, @activated_at, @expires_at, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], SessionRow>(`SELECT ${COLUMNS} FROM whatsapp_sandbox_sessions s ${JOIN} WHERE s.project_id = ? AND s.id = ?`);
  const codeTaken = db.prepare<[string, string], number>('SELECT 1 FROM whatsapp_sandbox_sessions WHERE project_id = ? AND activation_code = ?').pluck();
  const activate = db.prepare<[string, string, string, string]>(
    "UPDATE whatsapp_sandbox_sessions SET status = 'active', activated_at = ?, updated_at = ? WHERE project_id = ? AND id = ?",
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_sandbox_sessions WHERE id = ? ORDER BY project_id').pluck();
  const list = SandboxSessionList.prepare(db);
  const unique = uniqueRules({
    'whatsapp_sandbox_sessions.project_id, whatsapp_sandbox_sessions.phone_number': 'Phone number has already been taken',
  });

  /** A code no other session of the project has. */
  const newCode = (projectId: string): string => {
    for (;;) {
      const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      if (codeTaken.get(projectId, code) === undefined) return code;
    }
  };

  const createTx = db.transaction((projectId: string, input: SandboxSessionInput): string => {
    const now = clock.iso();
    const record: SandboxSessionRecord = {
      id: newId(),
      agent_id: input.agent_id,
      phone_number: phoneDigits(input.phone_number),
      status: 'pending_activation',
      activation_code: newCode(projectId),
      activated_at: null,
      expires_at: expiryOf(now),
      created_at: now,
      updated_at: now,
    };
    unique(() => insert.run({ ...record, project_id: projectId }));
    events.publish('record.created', projectId, { type: TYPE, id: record.id });
    return record.id;
  });

  const activateTx = db.transaction((projectId: string, id: string): Activation => {
    const row = byId.get(projectId, id);
    if (!row) return { outcome: 'missing' };
    if (row.status === 'active') return { outcome: 'already_active', session: toSession(row) };
    const now = clock.iso();
    if (row.expires_at !== null && row.expires_at <= now) return { outcome: 'expired', session: toSession(row) };
    activate.run(now, now, projectId, id);
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { outcome: 'activated', session: toSession(byId.get(projectId, id)!) };
  });

  return {
    /** Writes a session as given (fixtures); API creates go through create(). */
    insert(projectId: string, record: SandboxSessionRecord): void {
      unique(() => insert.run({ ...record, project_id: projectId }));
    },

    /** A pending session for an agent of the project (the route checks the agent). */
    create(projectId: string, input: SandboxSessionInput): SandboxSession {
      return toSession(byId.get(projectId, createTx.immediate(projectId, input))!);
    },

    get(projectId: string, id: string): SandboxSession | undefined {
      const row = byId.get(projectId, id);
      return row && toSession(row);
    },

    /** A page of the project's sessions, newest first. */
    list: (projectId: string, query: Record<string, unknown>) => list.page([projectId], query),

    /** The phone sent the activation code: pending -> active, unless the session has expired. */
    activate: (projectId: string, id: string): Activation => activateTx.immediate(projectId, id),

    /** Projects holding a session with this ID (the control plane's project rule). */
    projectsHolding: (id: string): string[] => holders.all(id),
  };
}

export type SandboxSessionRepository = ReturnType<typeof createSandboxSessionRepository>;
