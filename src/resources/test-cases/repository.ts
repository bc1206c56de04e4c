// Test cases: a script the simulated user follows and a rubric a run scores the agent by, in
// one test suite. Read on their own, inside their suite, and inside each of their runs.
import { newId } from '../../lib/ids.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { TestCase, TestCaseInput, TestCasePatch } from './schemas.js';

export interface TestCaseRow {
  id: string;
  test_suite_id: string;
  name: string;
  description: string | null;
  script: string;
  rubric: string;
  created_at: string;
  updated_at: string;
}

export const CASE_COLUMNS = 'id, test_suite_id, name, description, script, rubric, created_at, updated_at';
const TYPE = 'test_case';

export function toTestCase(row: TestCaseRow): TestCase {
  const testCase: TestCase = {
    id: row.id,
    name: row.name,
    script: row.script,
    rubric: row.rubric,
    test_suite_id: row.test_suite_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.description !== null) testCase.description = row.description;
  return testCase;
}

export function createTestCaseRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[TestCaseRow & { project_id: string }]>(
    `INSERT INTO test_cases (project_id, ${CASE_COLUMNS}) VALUES (@project_id, @id, @test_suite_id, @name, @description, @script, @rubric, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], TestCaseRow>(`SELECT ${CASE_COLUMNS} FROM test_cases WHERE project_id = ? AND id = ?`);
  const agentOf = db.prepare<[string, string], string>(
    'SELECT s.agent_id FROM test_cases c JOIN test_suites s ON s.project_id = c.project_id AND s.id = c.test_suite_id WHERE c.project_id = ? AND c.id = ?',
  ).pluck();
  const update = db.prepare<[TestCaseRow & { project_id: string }]>(
    `UPDATE test_cases SET name = @name, description = @description, script = @script, rubric = @rubric, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );

  return {
    /** Writes a case as given (fixtures). */
    insert(projectId: string, row: TestCaseRow): void {
      insert.run({ ...row, project_id: projectId });
    },

    /** A new case in the suite (the caller found the suite). */
    create: db.transaction((projectId: string, suiteId: string, input: TestCaseInput): TestCase => {
      const now = clock.iso();
      const row: TestCaseRow = {
        id: newId(), test_suite_id: suiteId, name: input.name, description: input.description ?? null, script: input.script, rubric: input.rubric,
        created_at: now, updated_at: now,
      };
      insert.run({ ...row, project_id: projectId });
      events.publish('record.created', projectId, { type: TYPE, id: row.id });
      return toTestCase(row);
    }),

    get(projectId: string, id: string): TestCase | undefined {
      const row = byId.get(projectId, id);
      return row && toTestCase(row);
    },

    /** The case and the agent its suite tests (what a run needs). */
    withAgent(projectId: string, id: string): { testCase: TestCase; agentId: string } | undefined {
      const row = byId.get(projectId, id);
      return row && { testCase: toTestCase(row), agentId: agentOf.get(projectId, id)! };
    },

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update: db.transaction((projectId: string, id: string, patch: TestCasePatch): TestCase | undefined => {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      const next = applyPatch(current, patch, ['name', 'description', 'script', 'rubric']);
      if (!next) return toTestCase(current);
      next.updated_at = clock.iso();
      update.run({ ...next, project_id: projectId });
      events.publish('record.updated', projectId, { type: TYPE, id });
      return toTestCase(next);
    }),
  };
}

export type TestCaseRepository = ReturnType<typeof createTestCaseRepository>;
