import { z } from 'zod';
import { railsParams } from '../../lib/route.js';
import { data, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { TestCase } from '../test-cases/schemas.js';

const Json = z.record(z.string(), z.unknown());

export const AgentTestRun = z
  .object({
    id: Uuid,
    thread_id: z.string(),
    started_at: Timestamp.optional().meta({ description: 'Left out until the run has run.' }),
    ended_at: Timestamp.optional().meta({ description: 'Left out until the run has run.' }),
    score: z.number().optional().meta({ format: 'float', description: '0-10: the weighted share of rubric criteria met. Left out until scored.' }),
    feedback: z.string().optional().meta({ description: 'Which rubric criteria were met. Left out until scored.' }),
    execution_completed: z.boolean(),
    conversation: Json.optional().meta({ description: '`{messages: [{role, content}]}`: the script played through the agent. Left out until run.' }),
    full_history: Json.optional().meta({ description: '`{turns: [{role, content, node}], criteria: [{criterion, weight, met}]}`. Left out until run.' }),
    error: Json.optional().meta({ description: '`{message}` when the run failed; left out otherwise.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    test_case: TestCase,
  })
  .meta({ id: 'AgentTestRun' });
export type AgentTestRun = z.infer<typeof AgentTestRun>;

export const TestRunsParams = z.object({ test_case_id: PathId.meta({ example: '7b100000-0000-4000-8000-000000000001' }) });
export const TestRunParams = z.object({ test_run_id: PathId.meta({ example: '7c100000-0000-4000-8000-000000000001' }) });

/**
 * `{agent_test_run, run_now}`: two top-level keys, not a wrapper. agent_test_run is read with
 * params.require (missing or not an object: 400); run_now is a field (not a boolean: 422).
 */
export const TestRunCreateBody = railsParams(
  z.object({
    agent_test_run: Json.meta({ description: 'The run. Kapso documents no fields in it; any are ignored.' }),
    run_now: z.boolean().optional().meta({ description: 'If true, the test will be run immediately', default: false }),
  }),
  ['agent_test_run'],
);

export const TestRunResponse = data(AgentTestRun);
