// Test suites: an agent's named groups of test cases, each shown with all its cases.
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { CASE_COLUMNS, toTestCase, type TestCaseRow } from '../test-cases/repository.js';
import type { TestSuite, TestSuiteInput } from './schemas.js';

export interface SuiteRow {
  id: string;
  agent_id: string;
  name: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, agent_id, name, description, created_at, updated_at';
const TYPE = 'test_suite';

/** GET /agents/{agent_id}/test_suites: the agent's suites, newest first (the spec gives this list no pagination). */
export const TestSuiteList = defineList<SuiteRow>({
  name: 'test_suites',
  table: 'test_suites',
  columns: COLUMNS,
  scope: ['project_id', 'agent_id'],
  pagination: 'none',
});

function toSuite(row: SuiteRow, cases: TestCaseRow[]): TestSuite {
  const suite: TestSuite = {
    id: row.id,
    name: row.name,
    agent_id: row.agent_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
    test_cases: cases.map(toTestCase),
  };
  if (row.description !== null) suite.description = row.description;
  return suite;
}

export function createTestSuiteRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[SuiteRow & { project_id: string }]>(
    `INSERT INTO test_suites (project_id, ${COLUMNS}) VALUES (@project_id, @id, @agent_id, @name, @description, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], SuiteRow>(`SELECT ${COLUMNS} FROM test_suites WHERE project_id = ? AND id = ?`);
  const exists = db.prepare<[string, string], number>('SELECT 1 FROM test_suites WHERE project_id = ? AND id = ?').pluck();
  const casesOf = db.prepare<[string, string], TestCaseRow>(
    `SELECT ${CASE_COLUMNS} FROM test_cases WHERE project_id = ? AND test_suite_id = ? ORDER BY created_at, id`,
  );
  // Every case of an agent's suites in one query, grouped by suite below.
  const casesOfAgent = db.prepare<[string, string], TestCaseRow>(
    `SELECT ${CASE_COLUMNS.split(', ').map((c) => `c.${c}`).join(', ')} FROM test_cases c
     JOIN test_suites s ON s.project_id = c.project_id AND s.id = c.test_suite_id
     WHERE s.project_id = ? AND s.agent_id = ? ORDER BY c.created_at, c.id`,
  );
  const list = TestSuiteList.prepare(db);

  return {
    /** Writes a suite as given (fixtures). */
    insert(projectId: string, row: SuiteRow): void {
      insert.run({ ...row, project_id: projectId });
    },

    exists: (projectId: string, id: string): boolean => exists.get(projectId, id) !== undefined,

    /** A new suite of the agent, with no cases yet (the caller found the agent). */
    create: db.transaction((projectId: string, input: TestSuiteInput): TestSuite => {
      const now = clock.iso();
      const row: SuiteRow = { id: newId(), agent_id: input.agent_id, name: input.name, description: input.description ?? null, created_at: now, updated_at: now };
      insert.run({ ...row, project_id: projectId });
      events.publish('record.created', projectId, { type: TYPE, id: row.id });
      return toSuite(row, []);
    }),

    get(projectId: string, id: string): TestSuite | undefined {
      const row = byId.get(projectId, id);
      return row && toSuite(row, casesOf.all(projectId, id));
    },

    /** Every suite of the agent, newest first, each with its cases. */
    listForAgent(projectId: string, agentId: string): TestSuite[] {
      const cases = new Map<string, TestCaseRow[]>();
      for (const c of casesOfAgent.all(projectId, agentId)) {
        const group = cases.get(c.test_suite_id);
        if (group) group.push(c);
        else cases.set(c.test_suite_id, [c]);
      }
      return list.all([projectId, agentId]).map((row) => toSuite(row, cases.get(row.id) ?? []));
    },
  };
}

export type TestSuiteRepository = ReturnType<typeof createTestSuiteRepository>;
