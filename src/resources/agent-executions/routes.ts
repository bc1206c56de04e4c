import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { executionNotResumable, invalidParameters, notFound, unprocessable, validationFailed } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { ExecutionList } from './repository.js';
import {
  ExecutionListResponse, ExecutionParams, ExecutionResponse, ExecutionResumeBody, ExecutionsParams, ExecutionStartBody, textOf,
} from './schemas.js';

export const agentExecutionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, agentWhatsappConfigs: links, whatsappConfigs: configs, agentExecutions: executions } = app.repos;
  const r = routes(app, ['Agent Executions']);

  /** Every operation first finds the agent in the caller's project. */
  const requireAgent = (projectId: string, agentId: string) => {
    if (!agents.exists(projectId, agentId)) throw notFound('Agent');
  };

  /** The config an execution with a phone number talks from: the one named (linked to the agent), else the agent's primary one. */
  const configFor = (projectId: string, agentId: string, named: string | undefined): string | undefined => {
    const linked = links.list(projectId, agentId);
    if (named === undefined) return linked.find((l) => l.is_primary)?.whatsapp_config.id;
    if (linked.some((l) => l.whatsapp_config.id === named)) return named;
    if (!configs.exists(projectId, named)) throw unprocessable('Whatsapp config must exist');
    throw validationFailed('whatsapp_config_id is not linked to this agent');
  };

  r.post('/agents/:agent_id/executions', {
    operationId: 'startAgentExecution', summary: 'Start a new agent execution',
    description: 'Starts an execution (status started; the control plane moves it on). With phone_number, the number\'s active conversation '
      + 'on the agent\'s primary WhatsApp config (or the linked config whatsapp_config_id names) is reused, or a new one opens, and the '
      + 'message\'s text (a string, or a user_input\'s content.text) is stored there as the customer\'s inbound message, which opens '
      + 'the 24-hour window; an execution already in charge of that conversation ends. An agent without a primary config answers 400.',
    params: ExecutionsParams, body: ExecutionStartBody, response: ExecutionResponse, status: 202, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { projectId, params, body } = request;
    requireAgent(projectId, params.agent_id);
    const configId = body.whatsapp_config_id === undefined && body.phone_number === undefined
      ? undefined
      : configFor(projectId, params.agent_id, body.whatsapp_config_id);
    if (body.phone_number !== undefined && configId === undefined) {
      throw invalidParameters('The agent has no primary WhatsApp configuration to reach phone_number: link one with is_primary true, or give whatsapp_config_id');
    }
    const conversation = body.phone_number === undefined ? undefined : { whatsappConfigId: configId!, phone: body.phone_number };
    return { data: executions.start(projectId, params.agent_id, { text: textOf(body.message), conversation }) };
  });

  r.get('/agents/:agent_id/executions', {
    operationId: 'listAgentExecutions', summary: 'List agent executions',
    description: 'Newest first by started_at. Pagination in the headers only: Total, Total-Pages, Per-Page, Page and Link (RFC 8288, '
      + 'absolute URLs that keep the other query parameters). q[status_eq] takes the spec\'s statuses (a failed execution is ended).',
    params: ExecutionsParams, query: ExecutionList.query, response: ExecutionListResponse,
  }, async (request, reply) => {
    requireAgent(request.projectId, request.params.agent_id);
    return paginate(request, reply, executions.list(request.projectId, request.params.agent_id, request.query));
  });

  r.get('/agents/:agent_id/executions/:execution_id', {
    operationId: 'getAgentExecution', summary: 'Get agent execution details',
    params: ExecutionParams, response: ExecutionResponse,
  }, async (request) => {
    const { projectId, params } = request;
    requireAgent(projectId, params.agent_id);
    const execution = executions.get(projectId, params.agent_id, params.execution_id);
    if (!execution) throw notFound('Execution');
    return { data: execution };
  });

  r.post('/agents/:agent_id/executions/:execution_id/resume', {
    operationId: 'resumeAgentExecution', summary: 'Resume a paused agent execution',
    description: 'paused -> running; any other status answers 400 "Execution cannot be resumed". A user_input message\'s content.text is '
      + 'stored as the customer\'s inbound message in the execution\'s conversation, while that conversation is active.',
    params: ExecutionParams, body: ExecutionResumeBody, response: ExecutionResponse, status: 200, errors: [400, 401, 404, 422],
  }, async (request) => {
    const { projectId, params } = request;
    requireAgent(projectId, params.agent_id);
    const result = executions.resume(projectId, params.agent_id, params.execution_id, textOf(request.body?.message));
    if (result.outcome === 'missing') throw notFound('Execution');
    if (result.outcome === 'not_paused') throw executionNotResumable();
    return { data: result.execution };
  });
};
