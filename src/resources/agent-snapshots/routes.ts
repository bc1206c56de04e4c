import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { routes } from '../../lib/route.js';
import { SnapshotCreateBody, SnapshotParams, SnapshotResponse, SnapshotsParams } from './schemas.js';

export const agentSnapshotRoutes: FastifyPluginAsyncZod = async (app) => {
  const { agents, agentSnapshots: snapshots } = app.repos;
  const r = routes(app, ['Agent Snapshots']);

  r.post('/agents/:agent_id/agent_snapshots', {
    operationId: 'createAgentSnapshot', summary: 'Create a new agent snapshot',
    description: "Freezes the agent's current graph and system prompt, or the graph given instead (validated as updateAgent "
      + 'validates one). Later edits of the agent do not change the snapshot.',
    params: SnapshotsParams, body: SnapshotCreateBody, response: SnapshotResponse,
  }, async (request) => {
    const agent = agents.record(request.projectId, request.params.agent_id);
    if (!agent) throw notFound('Agent');
    return { data: snapshots.create(agent, request.body?.graph) };
  });

  r.get('/agent_snapshots/:id', {
    operationId: 'getAgentSnapshot', summary: 'Get agent snapshot details',
    params: SnapshotParams, response: SnapshotResponse,
  }, async (request) => {
    const snapshot = snapshots.get(request.projectId, request.params.id);
    if (!snapshot) throw notFound('Agent snapshot');
    return { data: snapshot };
  });
};
