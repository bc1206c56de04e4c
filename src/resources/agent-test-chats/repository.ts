// Agent test chats: a conversation with the simulated agent (agents/simulator.ts), on an agent's
// live graph or on a snapshot's frozen one. Each user message (or resume) is one turn: the
// reply is computed at once, and lands at once, or after the project's test-chat latency on the
// mock's clock, while the chat reads `processing`. The control plane can hold a reply, release it
// or fail the chat (src/admin/agents/). Every answer spends one of the project's AI credits; with
// none left a new message ends the chat in `error` (docs/families/agent-test-chats.md).
import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import { replay, respond, resume, type SimulatedAgent, type Turn } from '../agents/simulator.js';
import type { AgentTestChat, ChatTurn, TestChatStatus } from './schemas.js';

interface Row {
  project_id: string;
  id: string;
  agent_id: string;
  agent_snapshot_id: string | null;
  status: TestChatStatus;
  conversation: string;
  pending_reply: string | null;
  reply_at: string | null;
  current_node: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** Who a chat talks to: the agent (live graph) or one of its snapshots. */
export interface ChatTarget {
  agent_id: string;
  agent_snapshot_id: string | null;
  agent: SimulatedAgent;
}

/** Why a turn was refused (the route words it). */
export type TurnRefusal = 'busy' | 'not_completed' | 'no_credits';
export type TurnResult = { chat: AgentTestChat } | { refused: TurnRefusal };

/** A test chat in the fixtures: the user's messages are replayed through the simulated agent. */
export interface ChatFixture {
  id: string;
  agent_id: string;
  agent_snapshot_id?: string | undefined;
  messages: string[];
  status: TestChatStatus;
  error?: string | undefined;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'project_id, id, agent_id, agent_snapshot_id, status, conversation, pending_reply, reply_at, current_node, error, created_at, updated_at';
const TYPE = 'agent_test_chat';
export const DEFAULT_CHAT_ERROR = 'The agent failed to respond';
export const NO_CREDITS_ERROR = 'Insufficient credits';

/**
 * The chat as it is at `now`: a reply whose time has come has landed (the chat reads completed,
 * updated when it landed). Reads never write; writes store what this returns first.
 */
function settle(row: Row, now: string): Row {
  if (row.status !== 'processing' || row.pending_reply === null || row.reply_at === null || row.reply_at > now) return row;
  return {
    ...row,
    status: 'completed',
    conversation: append(row.conversation, { role: 'assistant', content: row.pending_reply }),
    pending_reply: null,
    reply_at: null,
    updated_at: row.reply_at > row.updated_at ? row.reply_at : row.updated_at,
  };
}

/**
 * The stored conversation (a JSON array) with turns added at the end, without parsing it: a long
 * chat costs one parse per answer, not three.
 */
function append(conversation: string, ...turns: ChatTurn[]): string {
  if (turns.length === 0) return conversation;
  const added = turns.map((t) => JSON.stringify(t)).join(',');
  return conversation === '[]' ? `[${added}]` : `${conversation.slice(0, -1)},${added}]`;
}

function toChat(row: Row): AgentTestChat {
  const chat: AgentTestChat = {
    id: row.id,
    agent_id: row.agent_id,
    status: row.status,
    conversation: JSON.parse(row.conversation) as ChatTurn[],
    error: row.error,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.agent_snapshot_id !== null) chat.agent_snapshot_id = row.agent_snapshot_id;
  return chat;
}

export function createAgentTestChatRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[Row]>(
    `INSERT INTO agent_test_chats (${COLUMNS}) VALUES (@project_id, @id, @agent_id, @agent_snapshot_id, @status, @conversation,
     @pending_reply, @reply_at, @current_node, @error, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], Row>(`SELECT ${COLUMNS} FROM agent_test_chats WHERE project_id = ? AND id = ?`);
  const targetById = db.prepare<[string, string], { agent_id: string; agent_snapshot_id: string | null }>(
    'SELECT agent_id, agent_snapshot_id FROM agent_test_chats WHERE project_id = ? AND id = ?',
  );
  const update = db.prepare<[Row]>(
    `UPDATE agent_test_chats SET status = @status, conversation = @conversation, pending_reply = @pending_reply, reply_at = @reply_at,
     current_node = @current_node, error = @error, updated_at = @updated_at WHERE project_id = @project_id AND id = @id`,
  );
  const { agentSettings: settings } = repos;

  /**
   * One turn of the simulated agent on a chat as it is now: the user's turn (if any) is shown at
   * once; the reply lands now or after the latency; with no credit left the chat ends in error.
   */
  const take = (chat: Row, user: string | undefined, turn: () => Turn, now: string): Row => {
    const asked = user === undefined ? chat.conversation : append(chat.conversation, { role: 'user', content: user });
    const base = { ...chat, conversation: asked, pending_reply: null, reply_at: null, updated_at: now };
    if (!settings.spend(chat.project_id)) return { ...base, status: 'error', error: NO_CREDITS_ERROR };
    const { node, reply } = turn();
    const latency = settings.latency(chat.project_id);
    if (latency === 0) {
      return { ...base, status: 'completed', conversation: append(asked, { role: 'assistant', content: reply }), current_node: node, error: null };
    }
    return {
      ...base, status: 'processing', pending_reply: reply, reply_at: new Date(Date.parse(now) + latency).toISOString(), current_node: node, error: null,
    };
  };

  /** The stored chat of this target (the agent's own chats, or that snapshot's), as it is now. */
  const current = (projectId: string, id: string, now: string, target?: ChatTarget): Row | undefined => {
    const row = byId.get(projectId, id);
    if (!row) return undefined;
    if (target && (row.agent_id !== target.agent_id || row.agent_snapshot_id !== target.agent_snapshot_id)) return undefined;
    return settle(row, now);
  };

  return {
    /** Writes a fixture chat: its messages replayed through the agent (or snapshot); a processing chat's last reply is held. */
    insert(projectId: string, f: ChatFixture): void {
      const target = f.agent_snapshot_id === undefined
        ? repos.agents.record(projectId, f.agent_id)
        : repos.agentSnapshots.simulated(projectId, f.agent_snapshot_id);
      if (!target) throw new Error(`${f.agent_snapshot_id === undefined ? 'agent_id' : 'agent_snapshot_id'} names no record of the project`);
      if ('agent_id' in target && target.agent_id !== f.agent_id) throw new Error('agent_snapshot_id is a snapshot of another agent');
      const agent: SimulatedAgent = { name: target.name, system_prompt: target.system_prompt, graph: target.graph ?? {} };
      const { turns, node } = replay(agent, f.messages);
      const conversation = f.messages.flatMap((content, i) => [
        { role: 'user', content },
        { role: 'assistant', content: turns[i]!.reply },
      ]);
      const last = f.status === 'completed' ? undefined : conversation.pop()!.content;
      insert.run({
        project_id: projectId,
        id: f.id,
        agent_id: f.agent_id,
        agent_snapshot_id: f.agent_snapshot_id ?? null,
        status: f.status,
        conversation: JSON.stringify(conversation),
        pending_reply: f.status === 'processing' ? last! : null,
        reply_at: null,
        current_node: node,
        error: f.status === 'error' ? (f.error ?? DEFAULT_CHAT_ERROR) : null,
        created_at: f.created_at,
        updated_at: f.updated_at,
      });
    },

    get(projectId: string, id: string): AgentTestChat | undefined {
      const row = current(projectId, id, clock.iso());
      return row && toChat(row);
    },

    /** Who a stored chat talks to, or undefined when there is no such chat. */
    targetOf(projectId: string, id: string): { agent_id: string; agent_snapshot_id: string | null } | undefined {
      return targetById.get(projectId, id);
    },

    /** A new chat with the target, opened by the user's message. */
    start: db.transaction((projectId: string, target: ChatTarget, message: string): AgentTestChat => {
      const now = clock.iso();
      const empty: Row = {
        project_id: projectId, id: newId(), agent_id: target.agent_id, agent_snapshot_id: target.agent_snapshot_id, status: 'processing',
        conversation: '[]', pending_reply: null, reply_at: null, current_node: null, error: null, created_at: now, updated_at: now,
      };
      const row = take(empty, message, () => respond(target.agent, null, message), now);
      insert.run(row);
      events.publish('record.created', projectId, { type: TYPE, id: row.id });
      return toChat(row);
    }),

    /**
     * The user's next message in one of the target's chats; undefined when the target has no
     * such chat, refused while the previous reply is still processing.
     */
    continue: db.transaction((projectId: string, target: ChatTarget, id: string, message: string): TurnResult | undefined => {
      const now = clock.iso();
      const chat = current(projectId, id, now, target);
      if (!chat) return undefined;
      if (chat.status === 'processing') return { refused: 'busy' };
      const row = take(chat, message, () => respond(target.agent, chat.current_node, message), now);
      update.run(row);
      events.publish('record.updated', projectId, { type: TYPE, id });
      return { chat: toChat(row) };
    }),

    /**
     * Resumes a completed chat with an optional payload (shown as a user turn holding its JSON);
     * refused with no credit left, or when the chat is not completed.
     */
    resume: db.transaction((projectId: string, target: ChatTarget, id: string, payload: Record<string, unknown> | undefined): TurnResult | undefined => {
      const now = clock.iso();
      const chat = current(projectId, id, now, target);
      if (!chat) return undefined;
      if (!settings.hasCredit(projectId)) return { refused: 'no_credits' };
      if (chat.status !== 'completed') return { refused: 'not_completed' };
      const row = take(chat, payload === undefined ? undefined : JSON.stringify(payload), () => resume(target.agent, chat.current_node, payload), now);
      update.run(row);
      events.publish('record.updated', projectId, { type: TYPE, id });
      return { chat: toChat(row) };
    }),

    /**
     * The control plane moves a chat: `processing` holds a reply that has not landed (or marks a
     * finished chat processing again), `completed` lands the held reply, `error` drops it and
     * records the error. Undefined when there is no such chat.
     */
    setStatus: db.transaction((projectId: string, id: string, status: TestChatStatus, error: string | undefined): AgentTestChat | undefined => {
      const now = clock.iso();
      const chat = current(projectId, id, now);
      if (!chat) return undefined;
      let next: Row;
      if (status === 'processing') next = { ...chat, status, reply_at: null, error: null };
      else if (status === 'completed') {
        const conversation = chat.pending_reply === null ? chat.conversation : append(chat.conversation, { role: 'assistant', content: chat.pending_reply });
        next = { ...chat, status, conversation, pending_reply: null, reply_at: null, error: null };
      } else next = { ...chat, status, pending_reply: null, reply_at: null, error: error ?? DEFAULT_CHAT_ERROR };
      const changed = (['status', 'conversation', 'pending_reply', 'reply_at', 'error'] as const).some((k) => next[k] !== chat[k]);
      if (!changed) return toChat(chat);
      next.updated_at = now;
      update.run(next);
      events.publish('record.updated', projectId, { type: TYPE, id });
      return toChat(next);
    }),
  };
}

export type AgentTestChatRepository = ReturnType<typeof createAgentTestChatRepository>;
