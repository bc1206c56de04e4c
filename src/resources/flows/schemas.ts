import { z } from 'zod';
import { data, list, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const FLOW_STATUSES = ['draft', 'active', 'archived'] as const;

/** A step of a flow: where one of its executions can be (FlowExecution.current_step). */
export const FlowStep = z.object({
  id: Uuid,
  name: z.string(),
  step_type: z.string().meta({ description: 'message, wait_for_response, condition, webhook, ...' }),
});
export type FlowStep = z.infer<typeof FlowStep>;

export const Flow = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().nullable(),
    status: z.enum(FLOW_STATUSES),
    project_id: Uuid,
    created_at: Timestamp,
    updated_at: Timestamp,
    created_by: z.object({ id: Uuid, name: z.string() }).nullable(),
    last_executed_at: Timestamp.nullable().meta({ description: 'started_at of its newest execution' }),
    execution_count: z.number().int().meta({ description: 'How many executions the flow has' }),
  })
  .meta({ id: 'Flow' });
export type Flow = z.infer<typeof Flow>;

export const FlowParams = z.object({ flow_id: PathId.meta({ example: 'f1000000-0000-4000-8000-000000000001' }) });

export const FlowResponse = data(Flow);
export const FlowListResponse = list(Flow);
