// Test runs: one test case played through the simulated agent (agents/simulator.ts) and scored
// against its rubric. A run made with run_now runs at once; otherwise it waits, unscored, until
// the control plane runs it (POST /__admin/test_runs/{id}/run). It uses the agent's graph as it
// is when it runs, so the same case and graph always give the same score. Each run spends one
// AI credit; with none left it fails (docs/families/test-suites.md).
import { createHash } from 'node:crypto';
import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import { runTestCase } from '../agents/simulator.js';
import { CASE_COLUMNS, toTestCase, type TestCaseRow } from '../test-cases/repository.js';
import type { AgentTestRun } from './schemas.js';

interface RunRow {
  project_id: string;
  id: string;
  test_case_id: string;
  thread_id: string;
  started_at: string | null;
  ended_at: string | null;
  score: number | null;
  feedback: string | null;
  execution_completed: 0 | 1;
  conversation: string | null;
  full_history: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

/** A run in the fixtures: finished ones are scored at load, as running them now would score them. */
export interface RunFixture {
  id: string;
  status: 'completed' | 'failed' | 'pending';
  error?: string | undefined;
  started_at?: string | undefined;
  ended_at?: string | undefined;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `project_id, id, test_case_id, thread_id, started_at, ended_at, score, feedback, execution_completed, conversation,
  full_history, error, created_at, updated_at`;
const RUN_COLUMNS = COLUMNS.split(',').map((c) => `r.${c.trim()}`).join(', ');
const CASE_JOINED = CASE_COLUMNS.split(', ').map((c) => `c.${c} AS case_${c}`).join(', ');
const TYPE = 'test_run';
export const NO_CREDITS_RUN_ERROR = 'Insufficient credits';

type JoinedRow = RunRow & { [K in keyof TestCaseRow as `case_${K}`]: TestCaseRow[K] };

/** Kapso's thread IDs look like `thread_12345abcde`: the mock's is derived from the run's ID (the same run, the same thread). */
const threadId = (id: string) => `thread_${createHash('sha256').update(id).digest('hex').slice(0, 20)}`;

function toRun(row: JoinedRow): AgentTestRun {
  const testCase: TestCaseRow = {
    id: row.case_id, test_suite_id: row.case_test_suite_id, name: row.case_name, description: row.case_description, script: row.case_script,
    rubric: row.case_rubric, created_at: row.case_created_at, updated_at: row.case_updated_at,
  };
  const run: AgentTestRun = {
    id: row.id,
    thread_id: row.thread_id,
    execution_completed: row.execution_completed === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
    test_case: toTestCase(testCase),
  };
  if (row.started_at !== null) run.started_at = row.started_at;
  if (row.ended_at !== null) run.ended_at = row.ended_at;
  if (row.score !== null) run.score = row.score;
  if (row.feedback !== null) run.feedback = row.feedback;
  if (row.conversation !== null) run.conversation = JSON.parse(row.conversation) as Record<string, unknown>;
  if (row.full_history !== null) run.full_history = JSON.parse(row.full_history) as Record<string, unknown>;
  if (row.error !== null) run.error = JSON.parse(row.error) as Record<string, unknown>;
  return run;
}

export function createTestRunRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[RunRow]>(
    `INSERT INTO test_runs (${COLUMNS}) VALUES (@project_id, @id, @test_case_id, @thread_id, @started_at, @ended_at, @score, @feedback,
     @execution_completed, @conversation, @full_history, @error, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], JoinedRow>(
    `SELECT ${RUN_COLUMNS}, ${CASE_JOINED} FROM test_runs r
     JOIN test_cases c ON c.project_id = r.project_id AND c.id = r.test_case_id
     WHERE r.project_id = ? AND r.id = ?`,
  );
  const update = db.prepare<[RunRow]>(
    `UPDATE test_runs SET started_at = @started_at, ended_at = @ended_at, score = @score, feedback = @feedback,
     execution_completed = @execution_completed, conversation = @conversation, full_history = @full_history, error = @error,
     updated_at = @updated_at WHERE project_id = @project_id AND id = @id`,
  );

  /**
   * The run's outcome: the case played through the agent's graph as it is now, scored; or a
   * failure (`error` given, no credit left, or the agent is gone).
   */
  const execute = (run: RunRow, at: { started: string; ended: string }, failure: string | undefined, spend: boolean): RunRow => {
    const found = repos.testCases.withAgent(run.project_id, run.test_case_id)!;
    const agent = repos.agents.record(run.project_id, found.agentId);
    const timing = { started_at: at.started, ended_at: at.ended, updated_at: at.ended };
    const reason = failure ?? (spend && !repos.agentSettings.spend(run.project_id) ? NO_CREDITS_RUN_ERROR : undefined);
    if (reason !== undefined || !agent) {
      return {
        ...run, ...timing, score: null, feedback: null, execution_completed: 0, conversation: null, full_history: null,
        error: JSON.stringify({ message: reason ?? 'Agent not found' }),
      };
    }
    const outcome = runTestCase({ name: agent.name, system_prompt: agent.system_prompt, graph: agent.graph ?? {} }, found.testCase);
    const turns = outcome.messages.map((m, i) => (m.role === 'assistant' ? { ...m, node: outcome.nodes[(i - 1) / 2] ?? null } : m));
    return {
      ...run, ...timing,
      score: outcome.score,
      feedback: outcome.feedback,
      execution_completed: 1,
      conversation: JSON.stringify({ messages: outcome.messages }),
      full_history: JSON.stringify({ turns, criteria: outcome.criteria }),
      error: null,
    };
  };

  const get = (projectId: string, id: string): AgentTestRun | undefined => {
    const row = byId.get(projectId, id);
    return row && toRun(row);
  };

  return {
    /** Writes a fixture run under its case; a finished one is scored now against the agent's fixture graph. */
    insert(projectId: string, testCaseId: string, f: RunFixture): void {
      const pending: RunRow = {
        project_id: projectId, id: f.id, test_case_id: testCaseId, thread_id: threadId(f.id), started_at: null, ended_at: null, score: null,
        feedback: null, execution_completed: 0, conversation: null, full_history: null, error: null, created_at: f.created_at,
        updated_at: f.updated_at,
      };
      const started = f.started_at ?? f.created_at;
      const run = f.status === 'pending'
        ? pending
        : { ...execute(pending, { started, ended: f.ended_at ?? started }, f.status === 'failed' ? (f.error ?? 'The run failed') : undefined, false), updated_at: f.updated_at };
      insert.run(run);
    },

    /** A new run of the case (the caller found it); with runNow it runs and is scored at once. */
    create: db.transaction((projectId: string, testCaseId: string, runNow: boolean): AgentTestRun => {
      const now = clock.iso();
      const id = newId();
      let row: RunRow = {
        project_id: projectId, id, test_case_id: testCaseId, thread_id: threadId(id), started_at: null, ended_at: null, score: null,
        feedback: null, execution_completed: 0, conversation: null, full_history: null, error: null, created_at: now, updated_at: now,
      };
      if (runNow) row = execute(row, { started: now, ended: now }, undefined, true);
      insert.run(row);
      events.publish('record.created', projectId, { type: TYPE, id });
      return get(projectId, id)!;
    }),

    get,

    /**
     * Runs a waiting run now (the control plane), or fails it with `error`. Undefined when there
     * is no such run; `already` when it has run before.
     */
    run: db.transaction((projectId: string, id: string, error: string | undefined): { run: AgentTestRun } | { already: true } | undefined => {
      const row = byId.get(projectId, id);
      if (!row) return undefined;
      if (row.started_at !== null) return { already: true };
      const now = clock.iso();
      const { project_id, test_case_id, thread_id, created_at } = row;
      const run: RunRow = {
        project_id, id, test_case_id, thread_id, started_at: null, ended_at: null, score: null, feedback: null, execution_completed: 0,
        conversation: null, full_history: null, error: null, created_at, updated_at: now,
      };
      update.run(execute(run, { started: now, ended: now }, error, error === undefined));
      events.publish('record.updated', projectId, { type: TYPE, id });
      return { run: get(projectId, id)! };
    }),
  };
}

export type TestRunRepository = ReturnType<typeof createTestRunRepository>;
