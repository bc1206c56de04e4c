// What every proxy route needs: its route builder (Graph errors, POSTs answer 200) and the lookups
// that turn a path ID into a record of the caller's project, or Meta's unknown-object error.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unknownGraphObject } from '../../errors.js';
import { routes } from '../../lib/route.js';
import type { ConfigRecord } from '../../resources/whatsapp-configs/repository.js';
import { GraphErrorBody } from './schemas.js';

/** The route builder of the proxy: Graph error bodies, 400/401/404 by default, POST answers 200 as on Meta. */
export const graphRoutes = (app: FastifyInstance<any, any, any, any, any>, tags: string[]) =>
  routes(app, tags, { errorBody: GraphErrorBody, errorStatuses: () => [400, 401, 404], created: 200 });

export function lookups(app: FastifyInstance<any, any, any, any, any>) {
  const { whatsappConfigs } = app.repos;
  return {
    /** The config whose phone number this is, in the caller's project. */
    phone(request: Pick<FastifyRequest, 'method' | 'projectId'>, phoneNumberId: string): ConfigRecord {
      const config = whatsappConfigs.byPhoneNumberId(request.projectId, phoneNumberId);
      if (!config) throw unknownGraphObject(request.method, phoneNumberId);
      return config;
    },

    /** The configs of a business account the caller's project has (one at least). */
    businessAccount(request: Pick<FastifyRequest, 'method' | 'projectId'>, businessAccountId: string): ConfigRecord[] {
      const configs = whatsappConfigs.byBusinessAccount(request.projectId, businessAccountId);
      if (configs.length === 0) throw unknownGraphObject(request.method, businessAccountId);
      return configs;
    },
  };
}

/** The server's own origin as the client reached it (for links the mock serves). */
export const originOf = (request: FastifyRequest): string => `${request.protocol}://${request.host}`;
