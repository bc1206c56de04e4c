// Agent executions: started through the API (optionally with a phone number, which opens or reuses
// that number's conversation and stores the execution's message there as the customer's inbound
// message), resumed from paused, and moved through their lifecycle by the control plane
// (POST /__admin/executions/{id}/status). An execution that ends or fails gets ended_at (duration
// follows); a failed one reads `ended` on /api/v1 (API-DECISIONS). A conversation has one execution
// in charge at a time: starting another one in it ends the first. Each move is an event:
// agent_execution.started, .ended, .failed, .handoff, else record.updated.
import { RecordInvalid } from '../../errors.js';
import type { ExecutionRef } from '../../lib/events.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import type { ConversationExecutionRecord } from '../whatsapp-conversation-executions/repository.js';
import { EXECUTION_COLUMNS, toAgentExecution, toRecord, type ExecutionRecord, type ExecutionRow } from './execution.js';
import { AGENT_EXECUTION_STATUSES, type AgentExecution, type ExecutionMove } from './schemas.js';

const TYPE = 'agent_execution';

/** GET /agents/{agent_id}/executions: newest first by started_at; pagination in the headers only. */
export const ExecutionList = defineList<ExecutionRow, AgentExecution>({
  name: 'agent_executions',
  table: 'agent_executions',
  columns: EXECUTION_COLUMNS,
  scope: ['project_id', 'agent_id'],
  order: 'started_at',
  filters: {
    // The spec's enum; anything else matches nothing (a failed execution is `ended`).
    status: { predicates: ['eq'], values: Object.fromEntries(AGENT_EXECUTION_STATUSES.map((s) => [s, s])) },
    started_at: ['gteq', 'lteq'],
    ended_at: ['gteq', 'lteq'],
  },
  pagination: 'headers',
  map: toAgentExecution,
});

/** What starting an execution does besides storing it. */
export interface StartRequest {
  /** The customer's words: with a conversation, stored there as their inbound text message. */
  text?: string | undefined;
  /** The number whose conversation on this config the execution runs in (reused when active, else opened). */
  conversation?: { whatsappConfigId: string; phone: string } | undefined;
}

/** An execution as the control plane sees it: the record (failure and reason included) and its conversation. */
export interface ExecutionState {
  record: ExecutionRecord;
  conversation: ConversationExecutionRecord | undefined;
}

export type ResumeResult = { outcome: 'missing' } | { outcome: 'not_paused' } | { outcome: 'resumed'; execution: AgentExecution };
export type MoveResult = { outcome: 'missing' } | { outcome: 'final' | 'moved' | 'unchanged'; execution: ExecutionState };

export function createAgentExecutionRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[ExecutionRow & { project_id: string }]>(
    `INSERT INTO agent_executions (project_id, ${EXECUTION_COLUMNS})
     VALUES (@project_id, @id, @agent_id, @thread_id, @status, @failed, @reason, @started_at, @ended_at, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], ExecutionRow>(`SELECT ${EXECUTION_COLUMNS} FROM agent_executions WHERE project_id = ? AND id = ?`);
  const ofAgent = db.prepare<[string, string, string], ExecutionRow>(
    `SELECT ${EXECUTION_COLUMNS} FROM agent_executions WHERE project_id = ? AND agent_id = ? AND id = ?`,
  );
  const update = db.prepare<[ExecutionRow & { project_id: string }]>(
    `UPDATE agent_executions SET status = @status, failed = @failed, reason = @reason, ended_at = @ended_at, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM agent_executions WHERE id = ? ORDER BY project_id').pluck();
  const list = ExecutionList.prepare(db);
  const { conversationExecutions: links, whatsappConversations: conversations } = repos;

  const stored = (r: ExecutionRecord, projectId: string) => ({ ...r, failed: (r.failed ? 1 : 0) as 0 | 1, project_id: projectId });
  const refOf = (r: ExecutionRecord, projectId: string, reason?: string | null): ExecutionRef => ({
    execution_id: r.id,
    agent_id: r.agent_id,
    conversation_id: links.ofExecution(projectId, r.id)?.conversation_id ?? null,
    ...(reason != null && { reason }),
  });
  const stateOf = (projectId: string, record: ExecutionRecord): ExecutionState => ({ record, conversation: links.ofExecution(projectId, record.id) });

  /** Ends an execution now (it stops being active in its conversation). */
  const end = (projectId: string, current: ExecutionRecord, failed: boolean, reason: string | null, at: string): ExecutionRecord => {
    const next: ExecutionRecord = { ...current, status: 'ended', failed, reason: failed ? reason : current.reason, ended_at: at, updated_at: at };
    update.run(stored(next, projectId));
    links.settle(projectId, current.id, { active: false }, at);
    if (failed) events.publish('agent_execution.failed', projectId, refOf(next, projectId, reason));
    else events.publish('agent_execution.ended', projectId, refOf(next, projectId));
    return next;
  };

  /** The customer's words as their inbound message: into the number's active conversation on the config, or a new one. */
  const receive = (projectId: string, whatsappConfigId: string, phone: string, text: string) =>
    repos.whatsappMessages.receive(projectId, { whatsappConfigId, phone, fields: { message_type: 'text', content: text } }).conversation.id;

  /** The number's active conversation on the config, or a new one (and its contact), without a message. */
  const openConversation = (projectId: string, whatsappConfigId: string, phone: string): string => {
    const active = conversations.active(projectId, whatsappConfigId, phone);
    if (active) return active.id;
    const opened = conversations.open(projectId, whatsappConfigId, phone);
    const customerId = repos.whatsappConfigs.get(projectId, whatsappConfigId)?.customer_id ?? null;
    repos.whatsappContacts.touch(projectId, phone, { customerId });
    return opened.id;
  };

  const startTx = db.transaction((projectId: string, agentId: string, request: StartRequest): AgentExecution => {
    const now = clock.iso();
    let conversationId: string | undefined;
    if (request.conversation) {
      const { whatsappConfigId, phone } = request.conversation;
      // The execution in charge of the number's conversation, if any, ends: this one takes over.
      const current = conversations.active(projectId, whatsappConfigId, phone);
      const inCharge = current && links.activeIn(projectId, current.id);
      if (inCharge) end(projectId, toRecord(byId.get(projectId, inCharge.agent_execution_id)!), false, null, now);
      conversationId = request.text === undefined ? openConversation(projectId, whatsappConfigId, phone) : receive(projectId, whatsappConfigId, phone, request.text);
    }
    const record: ExecutionRecord = {
      id: newId(), agent_id: agentId, thread_id: newId(), status: 'started', failed: false, reason: null,
      started_at: now, ended_at: null, created_at: now, updated_at: now,
    };
    insert.run(stored(record, projectId));
    if (conversationId !== undefined) links.link(projectId, conversationId, record.id, now);
    events.publish('agent_execution.started', projectId, refOf(record, projectId));
    return toAgentExecution(record);
  });

  const resumeTx = db.transaction((projectId: string, agentId: string, id: string, text: string | undefined): ResumeResult => {
    const row = ofAgent.get(projectId, agentId, id);
    if (!row) return { outcome: 'missing' };
    const current = toRecord(row);
    if (current.status !== 'paused') return { outcome: 'not_paused' };
    const now = clock.iso();
    const next: ExecutionRecord = { ...current, status: 'running', updated_at: now };
    update.run(stored(next, projectId));
    events.publish('record.updated', projectId, { type: TYPE, id });
    // The customer's answer lands in the execution's conversation while it is still open.
    const link = links.ofExecution(projectId, id);
    const conversation = link && conversations.record(projectId, link.conversation_id);
    if (text !== undefined && conversation?.status === 'active') receive(projectId, conversation.whatsapp_config_id, conversation.phone_number, text);
    return { outcome: 'resumed', execution: toAgentExecution(next) };
  });

  const moveTx = db.transaction((projectId: string, id: string, to: ExecutionMove, reason: string | null): MoveResult => {
    const row = byId.get(projectId, id);
    if (!row) return { outcome: 'missing' };
    const current = toRecord(row);
    const now = clock.iso();
    // The same status again changes nothing (a handoff given a new reason records it).
    const same = to === 'failed' ? current.failed : current.status === to && !current.failed;
    if (same && !(to === 'handoff' && reason !== current.reason)) return { outcome: 'unchanged', execution: stateOf(projectId, current) };
    if (current.status === 'ended') return { outcome: 'final', execution: stateOf(projectId, current) };
    if (to === 'ended' || to === 'failed') return { outcome: 'moved', execution: stateOf(projectId, end(projectId, current, to === 'failed', reason, now)) };
    // running, paused (the agent is in charge again: no handoff reason) or handoff.
    const next: ExecutionRecord = { ...current, status: to, reason: to === 'handoff' ? reason : null, updated_at: now };
    update.run(stored(next, projectId));
    links.settle(projectId, id, { handoff_reason: to === 'handoff' ? reason : null }, now);
    if (to === 'handoff' && current.status !== 'handoff') events.publish('agent_execution.handoff', projectId, refOf(next, projectId, reason));
    else events.publish('record.updated', projectId, { type: TYPE, id });
    return { outcome: 'moved', execution: stateOf(projectId, next) };
  });

  // The agent webhooks' payloads take the execution's own times from here.
  repos.agentWebhooks.describeExecutions((projectId, id) => {
    const row = byId.get(projectId, id);
    return row && { started_at: row.started_at, ended_at: row.ended_at };
  });

  return {
    /** Writes an execution as given (fixtures). */
    insert(projectId: string, record: ExecutionRecord): void {
      if (record.failed && record.status !== 'ended') throw new RecordInvalid('A failed execution has ended');
      insert.run(stored(record, projectId));
    },

    /** Starts an execution of the agent (status started), in the number's conversation when `conversation` is given. */
    start: (projectId: string, agentId: string, request: StartRequest): AgentExecution => startTx.immediate(projectId, agentId, request),

    get(projectId: string, agentId: string, id: string): AgentExecution | undefined {
      const row = ofAgent.get(projectId, agentId, id);
      return row && toAgentExecution(row);
    },

    /** A page of the agent's executions, newest first by started_at. */
    list: (projectId: string, agentId: string, query: Record<string, unknown>) => list.page([projectId, agentId], query),

    /** paused -> running; a user_input text is stored as the customer's message in the execution's (active) conversation. */
    resume: (projectId: string, agentId: string, id: string, text: string | undefined): ResumeResult => resumeTx.immediate(projectId, agentId, id, text),

    /** The control plane's move (running, paused, handoff, ended, failed); ended and failed are final. */
    move: (projectId: string, id: string, to: ExecutionMove, reason: string | null): MoveResult => moveTx.immediate(projectId, id, to, reason),

    /** The execution as the control plane shows it. */
    state(projectId: string, id: string): ExecutionState | undefined {
      const row = byId.get(projectId, id);
      return row && stateOf(projectId, toRecord(row));
    },

    /** The projects holding an execution with this ID (the control plane's project rule). */
    holders: (id: string): string[] => holders.all(id),
  };
}

export type AgentExecutionRepository = ReturnType<typeof createAgentExecutionRepository>;
