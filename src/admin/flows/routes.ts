// /__admin/flow_executions: moves a flow execution through its lifecycle, as Kapso's flow engine would.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound, validationFailed } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { adminTags } from '../schemas.js';
import { projectScope } from '../project-scope.js';
import { FlowExecutionAdminResponse, FlowExecutionIdParams, FlowExecutionStatusBody, ProjectQuery } from './schemas.js';

export const flowAdminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { flowExecutions } = app.repos;
  const r = routes(app, adminTags);
  const scope = projectScope(app);

  r.post('/flow_executions/:id/status', {
    operationId: 'adminSetFlowExecutionStatus', summary: 'Move a flow execution through its lifecycle',
    description: 'running, waiting, ended or failed, optionally at another step of its flow and with more variables. '
      + 'ended and failed are final and set ended_at; moving a final execution answers 422. The same status with nothing '
      + 'else changed writes nothing. The project comes from project_id, else X-API-Key, else the only project holding the ID.',
    params: FlowExecutionIdParams, query: ProjectQuery, body: FlowExecutionStatusBody, response: FlowExecutionAdminResponse, status: 200,
  }, async (request) => {
    const { id } = request.params;
    const { project_id: _project, ...move } = request.body;
    const projectId = scope.forRecord(request, 'Flow execution', id, flowExecutions.projectsHolding);
    const result = flowExecutions.move(projectId, id, move);
    switch (result.outcome) {
      case 'missing': throw notFound('Flow execution');
      case 'final': throw validationFailed(`The flow execution has already ${result.execution.status === 'failed' ? 'failed' : 'ended'}: it cannot move any more`);
      case 'unknown_step': throw validationFailed(`current_step_id is not a step of the execution's flow`);
      default: return { data: result.execution };
    }
  });
};
