import { z } from 'zod';
import { FixtureId, FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { FlowStep } from '../flows/schemas.js';
import type { FlowExecutionRepository } from './repository.js';
import { EXECUTION_STATUSES } from './schemas.js';

const Json = z.record(z.string(), z.unknown());

/**
 * `flows[].executions[]`: a flow's executions. started_at defaults to created_at; ended and failed
 * ones need ended_at, running and waiting ones must not have it; current_step_id names one of the
 * flow's steps.
 */
export const flowExecutionFixtures = fixturePart({
  key: 'executions',
  parent: 'flows',
  schema: z.object({
    status: z.enum(EXECUTION_STATUSES),
    started_at: FixtureTime.optional(),
    ended_at: FixtureTime.optional(),
    last_event_at: FixtureTime.optional(),
    tracking_id: FixtureId.optional(),
    current_step_id: FixtureId.optional(),
    execution_context: Json.default({}),
    variables: Json.default({}),
  }),
  insert: (repo: FlowExecutionRepository, e, { projectId, parent }) => {
    const final = e.status === 'ended' || e.status === 'failed';
    if (final && e.ended_at === undefined) throw new Error(`a ${e.status} execution needs ended_at`);
    if (!final && e.ended_at !== undefined) throw new Error(`a ${e.status} execution has no ended_at`);
    let step: FlowStep | null = null;
    if (e.current_step_id !== undefined) {
      step = ((parent.steps ?? []) as FlowStep[]).find((s) => s.id === e.current_step_id) ?? null;
      if (!step) throw new Error(`current_step_id ${e.current_step_id} is not a step of the flow`);
    }
    const started_at = e.started_at ?? e.created_at;
    repo.insert(projectId, {
      id: e.id, flow_id: parent.id, status: e.status, started_at, ended_at: e.ended_at ?? null,
      last_event_at: e.last_event_at ?? e.ended_at ?? started_at, tracking_id: e.tracking_id ?? null, current_step: step,
      execution_context: e.execution_context, variables: e.variables, created_at: e.created_at, updated_at: e.updated_at,
    });
  },
});
