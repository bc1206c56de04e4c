// An agent execution as stored, and its /api/v1 shape: shared by the executions' own routes and a
// conversation's executions (which embed it).
import type { AgentExecution, AgentExecutionStatus } from './schemas.js';

export interface ExecutionRecord {
  id: string;
  agent_id: string;
  thread_id: string;
  /** As /api/v1 shows it: a failed execution is `ended` with `failed` set. */
  status: AgentExecutionStatus;
  failed: boolean;
  /** The reason given with the last handoff or failure. */
  reason: string | null;
  started_at: string;
  ended_at: string | null;
  created_at: string;
  updated_at: string;
}

export type ExecutionRow = Omit<ExecutionRecord, 'failed'> & { failed: 0 | 1 };

const OWN = ['id', 'agent_id', 'thread_id', 'status', 'failed', 'reason', 'started_at', 'ended_at', 'created_at', 'updated_at'] as const;
export const EXECUTION_COLUMNS = OWN.join(', ');

/** An execution's columns read through a join: `e.id AS e_id, ...`. */
export const executionColumns = (alias: string, prefix: string): string => OWN.map((c) => `${alias}.${c} AS ${prefix}${c}`).join(', ');

/** The row of an execution read through a join with executionColumns(). */
export function prefixed(row: Record<string, unknown>, prefix: string): ExecutionRow {
  return Object.fromEntries(OWN.map((c) => [c, row[`${prefix}${c}`]])) as unknown as ExecutionRow;
}

export const toRecord = (row: ExecutionRow): ExecutionRecord => ({ ...row, failed: row.failed === 1 });

/** Whole seconds from start to end. */
export const durationOf = (startedAt: string, endedAt: string): number => Math.floor((Date.parse(endedAt) - Date.parse(startedAt)) / 1000);

export function toAgentExecution(r: ExecutionRow | ExecutionRecord): AgentExecution {
  return {
    id: r.id,
    agent_id: r.agent_id,
    thread_id: r.thread_id,
    status: r.status,
    started_at: r.started_at,
    ended_at: r.ended_at,
    duration: r.ended_at === null ? null : durationOf(r.started_at, r.ended_at),
  };
}
