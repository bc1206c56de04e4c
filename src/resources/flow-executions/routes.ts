import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ApiError, notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { FlowExecutionList } from './repository.js';
import {
  FlowExecutionAccepted, FlowExecutionCreateBody, FlowExecutionListResponse, FlowExecutionParams, FlowExecutionResponse,
  FlowExecutionResumeBody, FlowExecutionsParams, FlowNotExecutable, NotResumable,
} from './schemas.js';

const NOT_EXECUTABLE_DETAILS = 'Flow must be in active status and have an active API trigger';

export const flowExecutionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { flows, flowExecutions } = app.repos;
  const r = routes(app, ['Flow Executions']);

  r.get('/flows/:flow_id/executions', {
    operationId: 'listFlowExecutions', summary: 'List flow executions',
    description: 'Every execution of the flow, newest first by started_at. q[status_eq] takes the codes 0=running, 1=waiting, 2=ended, 3=failed (or the names).',
    params: FlowExecutionsParams, query: FlowExecutionList.query, response: FlowExecutionListResponse,
  }, async (request) => {
    if (!flows.get(request.projectId, request.params.flow_id)) throw notFound('Flow');
    return { data: flowExecutions.list(request.projectId, request.params.flow_id, request.query) };
  });

  r.post('/flows/:flow_id/executions', {
    operationId: 'createFlowExecution', summary: 'Create a new flow execution',
    description: 'Starts a running execution at the flow\'s first step; it is then found in the flow\'s executions by tracking_id. '
      + 'The flow must be active and have an active API trigger (otherwise 422 {error, details}).',
    params: FlowExecutionsParams, body: FlowExecutionCreateBody, response: FlowExecutionAccepted, status: 202,
    errors: [400, 401, 404], errorBodies: { 422: FlowNotExecutable },
  }, async (request) => {
    const { flow_id } = request.params;
    const flow = flows.runnable(request.projectId, flow_id);
    if (!flow) throw notFound('Flow');
    if (flow.status !== 'active') throw ApiError.withBody(422, { error: 'Flow is not active', details: NOT_EXECUTABLE_DETAILS });
    if (!flow.api_trigger) throw ApiError.withBody(422, { error: 'Flow has no active API trigger', details: NOT_EXECUTABLE_DETAILS });
    const tracking_id = flowExecutions.create(request.projectId, flow_id, flow.steps[0] ?? null, request.body);
    return { flow_id, tracking_id, message: 'Flow execution queued' };
  });

  r.get('/flow_executions/:execution_id', {
    operationId: 'getFlowExecution', summary: 'Get flow execution details',
    params: FlowExecutionParams, response: FlowExecutionResponse,
  }, async (request) => {
    const execution = flowExecutions.get(request.projectId, request.params.execution_id);
    if (!execution) throw notFound('Flow execution');
    return { data: execution };
  });

  r.post('/flow_executions/:execution_id/resume', {
    operationId: 'resumeFlowExecution', summary: 'Resume a waiting flow execution',
    description: 'waiting -> running; the input is kept as execution_context.last_resume. Any other status answers 422.',
    params: FlowExecutionParams, body: FlowExecutionResumeBody, response: FlowExecutionResponse, status: 200,
    errors: [400, 401, 404], errorBodies: { 422: NotResumable },
  }, async (request) => {
    const result = flowExecutions.resume(request.projectId, request.params.execution_id, request.body ?? {});
    if (result.outcome === 'missing') throw notFound('Flow execution');
    if (result.outcome === 'not_waiting') {
      throw ApiError.withBody(422, { error: 'Execution cannot be resumed', message: 'The execution is not in a waiting state' });
    }
    return { data: result.execution };
  });
};
