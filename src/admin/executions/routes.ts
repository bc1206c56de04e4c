// /__admin/executions: moves an agent execution through its lifecycle, as Kapso's agent runtime
// would (the agent works, waits for the customer, hands the conversation to a person, ends or fails).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { toAgentExecution } from '../../resources/agent-executions/execution.js';
import type { ExecutionState } from '../../resources/agent-executions/repository.js';
import { projectScope } from '../project-scope.js';
import { adminTags } from '../schemas.js';
import { AdminExecutionResponse, ExecutionIdParams, ExecutionStatusBody } from './schemas.js';

export const executionAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agentExecutions: executions } = app.repos;
  const r = routes(app, adminTags);
  const scope = projectScope(app);

  const adminView = ({ record, conversation }: ExecutionState) => ({
    ...toAgentExecution(record),
    failed: record.failed,
    reason: record.reason,
    whatsapp_conversation: conversation
      ? { id: conversation.id, conversation_id: conversation.conversation_id, active: conversation.active, handoff_reason: conversation.handoff_reason, updated_at: conversation.updated_at }
      : null,
  });

  r.post('/executions/:id/status', {
    operationId: 'adminSetExecutionStatus', summary: 'Move an agent execution through its lifecycle',
    description: 'running, paused, handoff (with its reason, recorded as the conversation\'s handoff_reason), ended, or failed (with its '
      + 'reason; reads ended on /api/v1). ended and failed set ended_at and duration from the mock\'s clock and make the execution '
      + 'inactive in its conversation; moving one of them again answers 422. The same status again changes nothing (a handoff with '
      + 'a new reason records it). Events: agent_execution.handoff, .ended, .failed; record.updated for the other moves. '
      + 'The project comes from project_id, else X-API-Key, else the only project holding the ID.',
    params: ExecutionIdParams, body: ExecutionStatusBody, response: AdminExecutionResponse, status: 200,
  }, async (request) => {
    const { id } = request.params;
    const projectId = scope.forRecord(request, 'Agent execution', id, executions.holders);
    const result = executions.move(projectId, id, request.body.status, request.body.reason ?? null);
    if (result.outcome === 'missing') throw notFound('Agent execution');
    if (result.outcome === 'final') {
      throw validationFailed(`The agent execution has already ${result.execution.record.failed ? 'failed' : 'ended'}: it cannot move any more`);
    }
    return { data: adminView(result.execution) };
  });
};
