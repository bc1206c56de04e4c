import { z } from 'zod';
import { FlowExecution } from '../../resources/flow-executions/schemas.js';
import { EXECUTION_STATUSES } from '../../resources/flow-executions/schemas.js';

export const ProjectQuery = z.object({
  project_id: z.string().optional().meta({ description: 'The project holding the record (default: the X-API-Key\'s project, else the only project holding it).' }),
});

export const FlowExecutionIdParams = z.object({ id: z.string() });

export const FlowExecutionStatusBody = z.object({
  status: z.enum(EXECUTION_STATUSES).meta({ description: 'ended and failed are final and set ended_at' }),
  current_step_id: z.string().optional().meta({ description: 'Move the execution to this step of its flow' }),
  variables: z.record(z.string(), z.unknown()).optional().meta({ description: 'Merged into the execution\'s variables (top-level keys replaced)' }),
  project_id: z.string().optional().meta({ description: 'The project holding the execution (as the query parameter)' }),
});

export const FlowExecutionAdminResponse = z.object({ data: FlowExecution });
