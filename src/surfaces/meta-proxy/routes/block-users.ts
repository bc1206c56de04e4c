// Users a phone number blocked: list (cursor paging), block and unblock, all or nothing.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PhoneNumberText, waDigits } from '../../../resources/blocked-users/schemas.js';
import { graphRoutes, lookups } from '../context.js';
import { CursorQuery, MessagingProduct, Paging, pagingOf, PhoneParams, Success } from '../schemas.js';

const Users = z.object({
  messaging_product: MessagingProduct.optional(),
  block_users: z.array(z.object({ user: PhoneNumberText.meta({ description: 'WhatsApp ID (phone number) of the user; any common spelling.' }) })).min(1).max(1000),
});

export const blockUserRoutes: FastifyPluginAsyncZod = async (app) => {
  const { blockedUsers } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Block Users']);

  r.get('/:phone_number_id/block_users', {
    operationId: 'listBlockedUsers', summary: 'List blocked users',
    description: 'Most recently blocked first, by cursor.',
    params: PhoneParams, query: z.object(CursorQuery),
    response: z.object({ data: z.array(z.object({ user: z.string() })), paging: Paging }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const page = blockedUsers.list(request.projectId, config.id, request.query);
    return { data: page.rows, paging: pagingOf(page) };
  });

  r.post('/:phone_number_id/block_users', {
    operationId: 'blockUsers', summary: 'Block users',
    description: 'All or nothing: a user who is already blocked fails the whole request (code 139100), and nothing changes.',
    params: PhoneParams, body: Users, response: Success,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    blockedUsers.block(request.projectId, config.id, request.body.block_users.map((u) => waDigits(u.user)));
    return { success: true };
  });

  r.route('DELETE', '/:phone_number_id/block_users', {
    operationId: 'unblockUsers', summary: 'Unblock users',
    description: 'All or nothing: a user who is not blocked fails the whole request (code 139100), and nothing changes.',
    params: PhoneParams, body: Users, response: Success,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    blockedUsers.unblock(request.projectId, config.id, request.body.block_users.map((u) => waDigits(u.user)));
    return { success: true };
  });
};
