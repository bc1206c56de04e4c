import { z } from 'zod';
import { data, list, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { Flow, FlowParams, FlowStep } from '../flows/schemas.js';

export const EXECUTION_STATUSES = ['running', 'waiting', 'ended', 'failed'] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

/** q[status_eq] takes the spec's numeric codes (0=running, 1=waiting, 2=ended, 3=failed), and the names. */
export const STATUS_CODES: Record<string, ExecutionStatus> = {
  0: 'running', 1: 'waiting', 2: 'ended', 3: 'failed', running: 'running', waiting: 'waiting', ended: 'ended', failed: 'failed',
};

const Json = z.record(z.string(), z.unknown());

export const FlowExecution = z
  .object({
    id: Uuid,
    flow_id: Uuid,
    status: z.enum(EXECUTION_STATUSES),
    started_at: Timestamp,
    ended_at: Timestamp.nullable(),
    last_event_at: Timestamp.nullable(),
    tracking_id: Uuid.nullable().meta({ description: 'Tracking ID for API-triggered executions' }),
    current_step: FlowStep.nullable(),
    execution_context: Json.meta({ description: 'API-triggered: {trigger: "api", phone_number, context, initial_data}; after a resume, last_resume' }),
    variables: Json,
    flow: Flow,
  })
  .meta({ id: 'FlowExecution' });
export type FlowExecution = z.infer<typeof FlowExecution>;

export const FlowExecutionsParams = FlowParams;
export const FlowExecutionParams = z.object({ execution_id: PathId.meta({ example: 'fe100000-0000-4000-8000-000000000001' }) });

export const FlowExecutionCreateBody = z.object({
  phone_number: z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be in E.164 format (+15551234567)')
    .meta({ description: 'Phone number to associate with this flow execution', example: '+1234567890' }),
  variables: Json.optional().meta({ description: 'Variables to pass to the flow execution' }),
  context: Json.optional().meta({ description: 'Additional context for the execution' }),
  initial_data: Json.optional().meta({ description: 'Initial data to pass to the flow' }),
});
export type FlowExecutionInput = z.infer<typeof FlowExecutionCreateBody>;

export const FlowExecutionAccepted = z.object({
  flow_id: Uuid.meta({ description: 'ID of the flow being executed' }),
  tracking_id: Uuid.meta({ description: 'Unique tracking ID for this execution request: the execution\'s tracking_id' }),
  message: z.string().meta({ example: 'Flow execution queued' }),
});

/** createFlowExecution's 422 as the spec documents it (`details`), or the usual validation envelope. */
export const FlowNotExecutable = z.object({
  error: z.string().meta({ example: 'Flow is not active' }),
  details: z.string().optional().meta({ example: 'Flow must be in active status and have an active API trigger' }),
  message: z.string().optional(),
});

export const FlowExecutionResumeBody = z
  .object({
    input: z.string().optional().meta({ description: 'Text input to resume the flow with', example: 'Tomorrow 9-12' }),
    message: Json.optional().meta({ description: 'Structured message data to resume with' }),
  })
  .nullish();
export type FlowExecutionResumeInput = NonNullable<z.infer<typeof FlowExecutionResumeBody>>;

/** resumeFlowExecution's 422 as the spec documents it. */
export const NotResumable = z.object({
  error: z.string().meta({ example: 'Execution cannot be resumed' }),
  message: z.string().optional().meta({ example: 'The execution is not in a waiting state' }),
});

export const FlowExecutionResponse = data(FlowExecution);
export const FlowExecutionListResponse = list(FlowExecution);
