import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../errors.js';
import { paginate } from '../../lib/list-query.js';
import { routes } from '../../lib/route.js';
import { AssignmentList, type AssignmentResult } from './repository.js';
import {
  AssignmentCreateBody, AssignmentListResponse, AssignmentParams, AssignmentResponse, AssignmentsParams, AssignmentUpdateBody,
} from './schemas.js';

export const conversationAssignmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { whatsappConversations: conversations, conversationAssignments: assignments } = app.repos;
  const r = routes(app, ['Conversation Assignments']);

  /** Every operation first finds the conversation in the caller's project. */
  const requireConversation = (projectId: string, id: string) => {
    if (!conversations.get(projectId, id)) throw notFound('Conversation');
  };
  const answer = (result: AssignmentResult) => {
    if (result.outcome === 'missing') throw notFound('Conversation assignment');
    if (result.outcome === 'no_user') throw notFound('User');
    return { data: result.assignment };
  };

  r.get('/whatsapp_conversations/:whatsapp_conversation_id/conversation_assignments', {
    operationId: 'listConversationAssignments', summary: 'List conversation assignments',
    description: 'Newest first. Pagination both in the headers (Total, Total-Pages, Per-Page, Page, Link) and in the body\'s meta.',
    params: AssignmentsParams, query: AssignmentList.query, response: AssignmentListResponse,
  }, async (request, reply) => {
    const { projectId, params } = request;
    requireConversation(projectId, params.whatsapp_conversation_id);
    return paginate(request, reply, assignments.list(projectId, params.whatsapp_conversation_id, request.query));
  });

  r.post('/whatsapp_conversations/:whatsapp_conversation_id/conversation_assignments', {
    operationId: 'createConversationAssignment', summary: 'Create a conversation assignment',
    description: 'Assigns the conversation to a project user (active). 404 "User not found" for a user_id that is not one of the project\'s users; '
      + '422 while the conversation has an active assignment, or for a user who left the project.',
    params: AssignmentsParams, body: AssignmentCreateBody, response: AssignmentResponse,
  }, async (request) => {
    const { projectId, params } = request;
    requireConversation(projectId, params.whatsapp_conversation_id);
    return answer(assignments.create(projectId, params.whatsapp_conversation_id, request.body.conversation_assignment));
  });

  r.update('/whatsapp_conversations/:whatsapp_conversation_id/conversation_assignments/:id', {
    method: 'PATCH', operationId: 'updateConversationAssignment', summary: 'Update a conversation assignment',
    description: 'Changes the notes, the user (one of the project\'s active users) or active. active: false closes the assignment; '
      + 'true makes it active again unless another one is. An empty conversation_assignment changes nothing.',
    params: AssignmentParams, body: AssignmentUpdateBody, response: AssignmentResponse,
  }, async (request) => {
    const { projectId, params } = request;
    requireConversation(projectId, params.whatsapp_conversation_id);
    return answer(assignments.update(projectId, params.whatsapp_conversation_id, params.id, request.body.conversation_assignment));
  });
};
