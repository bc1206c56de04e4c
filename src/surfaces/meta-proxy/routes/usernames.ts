// A phone number's business username: read, claim or change, delete, and suggestions.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphRoutes, lookups } from '../context.js';
import { PhoneParams, Success } from '../schemas.js';

const Status = z.enum(['approved', 'reserved']);

export const usernameRoutes: FastifyPluginAsyncZod = async (app) => {
  const { usernames, phoneNumbers } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Usernames']);

  r.get('/:phone_number_id/username', {
    operationId: 'getUsername', summary: 'Get current username',
    description: 'Both fields are left out when the number has no username.',
    params: PhoneParams, response: z.object({ username: z.string().optional(), status: Status.optional() }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const current = usernames.get(request.projectId, config.id);
    return current ? { username: current.username, status: current.status } : {};
  });

  r.post('/:phone_number_id/username', {
    operationId: 'setUsername', summary: 'Claim or change username',
    description: 'A new username is reserved. One another number of the same business account holds moves only with force_transfer; '
      + 'one held outside the business account is not available.',
    params: PhoneParams,
    body: z.object({ username: z.string(), transfer_action: z.enum(['none', 'force_transfer']).default('none') }),
    response: z.object({ status: Status }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const claimed = usernames.claim(
      request.projectId, config.id, request.body.username, request.body.transfer_action,
      (other) => app.repos.whatsappConfigs.byBusinessAccount(request.projectId, config.business_account_id).some((c) => c.id === other),
    );
    return { status: claimed.status };
  });

  r.route('DELETE', '/:phone_number_id/username', {
    operationId: 'deleteUsername', summary: 'Delete username',
    params: PhoneParams, response: Success,
  }, async (request) => {
    usernames.delete(request.projectId, find.phone(request, request.params.phone_number_id).id);
    return { success: true };
  });

  r.get('/:phone_number_id/username_suggestions', {
    operationId: 'getUsernameSuggestions', summary: 'Get reserved username suggestions',
    description: 'Made from the verified name and the config\'s name; never a username another number of the project holds.',
    params: PhoneParams, response: z.object({ data: z.array(z.object({ username_suggestions: z.array(z.string()) })) }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const names = [phoneNumbers.get(request.projectId, config).verified_name, config.name];
    return { data: [{ username_suggestions: usernames.suggestions(request.projectId, config.id, names) }] };
  });
};
