// The agent executions of a conversation (Kapso's WhatsappConversationAgentExecution): which
// execution runs in which conversation. An execution runs in at most one conversation; a
// conversation has at most one active association at a time (a partial unique index says so too).
// The association is active until its execution ends or fails; handoff_reason records why the
// execution handed the conversation to a person. While an active execution is not in handoff,
// manual messages into the conversation are refused (the send guard registered below: the 409).
// The executions family (agent-executions) writes these rows as its executions move.
import { isConstraintError } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { executionColumns, prefixed, toAgentExecution } from '../agent-executions/execution.js';
import type { WhatsappConversationAgentExecution } from './schemas.js';

export interface ConversationExecutionRecord {
  id: string;
  conversation_id: string;
  agent_execution_id: string;
  active: boolean;
  handoff_reason: string | null;
  created_at: string;
  updated_at: string;
}

type LinkRow = Omit<ConversationExecutionRecord, 'active'> & { active: 0 | 1 };
type JoinedRow = LinkRow & Record<`e_${string}`, unknown>;

const OWN = 'id, conversation_id, agent_execution_id, active, handoff_reason, created_at, updated_at';
const COLUMNS = `x.id, x.conversation_id, x.agent_execution_id, x.active, x.handoff_reason, x.created_at, x.updated_at, ${executionColumns('e', 'e_')}`;
const JOIN = 'JOIN agent_executions e ON e.project_id = x.project_id AND e.id = x.agent_execution_id';
export const ALREADY_RUNNING = 'Conversation already has an active agent execution';

const toConversationExecution = (row: JoinedRow): WhatsappConversationAgentExecution => ({
  id: row.id,
  active: row.active === 1,
  handoff_reason: row.handoff_reason,
  created_at: row.created_at,
  updated_at: row.updated_at,
  agent_execution: toAgentExecution(prefixed(row, 'e_')),
});

/** GET /whatsapp_conversations/{id}/agent_executions: newest first, body meta. */
export const ConversationExecutionList = defineList<JoinedRow, WhatsappConversationAgentExecution>({
  name: 'whatsapp_conversation_agent_executions',
  table: 'whatsapp_conversation_agent_executions',
  alias: 'x',
  join: JOIN,
  columns: COLUMNS,
  scope: ['project_id', 'conversation_id'],
  pagination: 'meta',
  map: toConversationExecution,
});

/** What an execution's move changes on its association. */
export interface LinkChange {
  active?: boolean;
  /** undefined keeps it. */
  handoff_reason?: string | null;
}

export function createConversationExecutionRepository({ db, repos }: RepoContext) {
  const insert = db.prepare<[LinkRow & { project_id: string }]>(
    `INSERT INTO whatsapp_conversation_agent_executions (project_id, ${OWN})
     VALUES (@project_id, @id, @conversation_id, @agent_execution_id, @active, @handoff_reason, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string, string], JoinedRow>(
    `SELECT ${COLUMNS} FROM whatsapp_conversation_agent_executions x ${JOIN} WHERE x.project_id = ? AND x.conversation_id = ? AND x.id = ?`,
  );
  const ofExecution = db.prepare<[string, string], LinkRow>(
    `SELECT ${OWN} FROM whatsapp_conversation_agent_executions WHERE project_id = ? AND agent_execution_id = ?`,
  );
  const activeIn = db.prepare<[string, string], LinkRow>(
    `SELECT ${OWN} FROM whatsapp_conversation_agent_executions WHERE project_id = ? AND conversation_id = ? AND active = 1`,
  );
  const inCharge = db.prepare<[string, string], 1>(
    `SELECT 1 FROM whatsapp_conversation_agent_executions x ${JOIN}
     WHERE x.project_id = ? AND x.conversation_id = ? AND x.active = 1 AND e.status <> 'handoff'`,
  ).pluck();
  const execution = db.prepare<[string, string], { status: string; reason: string | null; started_at: string; ended_at: string | null }>(
    'SELECT status, reason, started_at, ended_at FROM agent_executions WHERE project_id = ? AND id = ?',
  );
  const update = db.prepare<[{ project: string; id: string; active: 0 | 1; handoff_reason: string | null; at: string }]>(
    `UPDATE whatsapp_conversation_agent_executions SET active = @active, handoff_reason = @handoff_reason, updated_at = @at
     WHERE project_id = @project AND id = @id`,
  );
  const list = ConversationExecutionList.prepare(db);

  const toRecord = (row: LinkRow): ConversationExecutionRecord => ({ ...row, active: row.active === 1 });
  const write = (projectId: string, r: ConversationExecutionRecord) => {
    try {
      insert.run({ ...r, active: r.active ? 1 : 0, project_id: projectId });
    } catch (err) {
      if (isConstraintError(err) && err.message.includes('whatsapp_conversation_agent_executions.project_id, whatsapp_conversation_agent_executions.conversation_id')) {
        throw new RecordInvalid(ALREADY_RUNNING, { kind: 'validation' });
      }
      throw err;
    }
  };

  // The one place the inbox asks whether a manual message may be sent (the 409): an execution on
  // the conversation that is active and not in handoff (failed and ended ones are no longer active).
  repos.whatsappConversations.addSendGuard((projectId, conversationId) => inCharge.get(projectId, conversationId) !== undefined);

  return {
    /** Writes an association as given (fixtures), under the one-active rule. */
    insert: write,

    /** The stored execution an association fixture is nested in: its status (ended includes failed), reason and start. */
    execution: (projectId: string, executionId: string) => execution.get(projectId, executionId),

    /** Ties a new execution to the conversation, active (call inside the execution's transaction). */
    link(projectId: string, conversationId: string, executionId: string, at: string): void {
      write(projectId, { id: newId(), conversation_id: conversationId, agent_execution_id: executionId, active: true, handoff_reason: null, created_at: at, updated_at: at });
    },

    /** The conversation's active association, if it has one. */
    activeIn(projectId: string, conversationId: string): ConversationExecutionRecord | undefined {
      const row = activeIn.get(projectId, conversationId);
      return row && toRecord(row);
    },

    /** The association of an execution, if it runs in a conversation. */
    ofExecution(projectId: string, executionId: string): ConversationExecutionRecord | undefined {
      const row = ofExecution.get(projectId, executionId);
      return row && toRecord(row);
    },

    /**
     * Applies what an execution's move means for its conversation (call inside the move's
     * transaction); returns whether anything changed.
     */
    settle(projectId: string, executionId: string, change: LinkChange, at: string): boolean {
      const row = ofExecution.get(projectId, executionId);
      if (!row) return false;
      const active = change.active ?? row.active === 1;
      const handoff_reason = change.handoff_reason === undefined ? row.handoff_reason : change.handoff_reason;
      if (active === (row.active === 1) && handoff_reason === row.handoff_reason) return false;
      update.run({ project: projectId, id: row.id, active: active ? 1 : 0, handoff_reason, at });
      return true;
    },

    get(projectId: string, conversationId: string, id: string): WhatsappConversationAgentExecution | undefined {
      const row = byId.get(projectId, conversationId, id);
      return row && toConversationExecution(row);
    },

    /** A page of the conversation's executions, newest first. */
    list: (projectId: string, conversationId: string, query: Record<string, unknown>) => list.page([projectId, conversationId], query),
  };
}

export type ConversationExecutionRepository = ReturnType<typeof createConversationExecutionRepository>;
