// buildApp(config): the whole app in one screen. Never listens (server.ts does), no globals:
// every call makes an independent app with its own database.
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { ADMIN_PREFIX, adminPlugin } from './admin/plugin.js';
import { createClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { createFixtureFormat } from './db/fixtures.js';
import { serializerCompiler } from './lib/serializer.js';
import { shadowedOperations } from './not-emulated.js';
import { controlPlugin } from './plugins/control.js';
import { corsPlugin } from './plugins/cors.js';
import { dbPlugin } from './plugins/db.js';
import { docsPlugin } from './plugins/docs.js';
import { doorHooks } from './plugins/door.js';
import { clientErrorHandler, errorHandlerPlugin, frameworkErrors, notFoundHandler } from './plugins/error-handler.js';
import { healthPlugin } from './plugins/health.js';
import { homePlugin } from './plugins/home.js';
import { BODY_LIMIT, jsonBodyPlugin } from './plugins/json-body.js';
import { schedulerPlugin } from './plugins/scheduler.js';
import { webhooksPlugin } from './plugins/webhooks.js';
import { agentExecutions } from './resources/agent-executions/resource.js';
import { agentSettings } from './resources/agent-settings/resource.js';
import { agentSnapshots } from './resources/agent-snapshots/resource.js';
import { agentTestChats } from './resources/agent-test-chats/resource.js';
import { agentWebhooks } from './resources/agent-webhooks/resource.js';
import { agentWhatsappConfigs } from './resources/agent-whatsapp-configs/resource.js';
import { agents } from './resources/agents/resource.js';
import { blockedUsers } from './resources/blocked-users/resource.js';
import { businessProfiles } from './resources/business-profiles/resource.js';
import { callPermissions } from './resources/call-permissions/resource.js';
import { calls } from './resources/calls/resource.js';
import { conversationAssignments } from './resources/conversation-assignments/resource.js';
import { customers } from './resources/customers/resource.js';
import { flowExecutions } from './resources/flow-executions/resource.js';
import { flows } from './resources/flows/resource.js';
import { media } from './resources/media/resource.js';
import { phoneNumbers } from './resources/phone-numbers/resource.js';
import { projectUsers } from './resources/project-users/resource.js';
import { projects } from './resources/projects/resource.js';
import { sandboxSessions } from './resources/sandbox-sessions/resource.js';
import { setupLinks } from './resources/setup-links/resource.js';
import { testCases } from './resources/test-cases/resource.js';
import { testRuns } from './resources/test-runs/resource.js';
import { testSuites } from './resources/test-suites/resource.js';
import { usernames } from './resources/usernames/resource.js';
import { whatsappConfigs } from './resources/whatsapp-configs/resource.js';
import { whatsappContactNotes } from './resources/whatsapp-contact-notes/resource.js';
import { whatsappContacts } from './resources/whatsapp-contacts/resource.js';
import { conversationExecutions } from './resources/whatsapp-conversation-executions/resource.js';
import { whatsappConversations } from './resources/whatsapp-conversations/resource.js';
import { whatsappFlows } from './resources/whatsapp-flows/resource.js';
import { messageStatusProgress } from './resources/whatsapp-messages/auto-status.js';
import { whatsappMessages } from './resources/whatsapp-messages/resource.js';
import { whatsappTemplates } from './resources/whatsapp-templates/resource.js';
import { META_PROXY_PREFIX } from './surfaces/meta-proxy/errors.js';
import { metaProxyPlugin } from './surfaces/meta-proxy/plugin.js';
import { whatsappWebhooks } from './resources/whatsapp-webhooks/resource.js';
import { VERSION } from './version.js';

/**
 * Every resource family, one line each: its repository (app.repos), its /api/v1 routes and its
 * part of the fixtures. Order matters where families depend on each other: a family comes after
 * the ones its repository uses and its fixtures reference (configs before the agent links to them).
 */
export const RESOURCES = [
  projects,
  customers,
  whatsappConfigs,
  agents,
  agentWebhooks,
  agentWhatsappConfigs,
  setupLinks,
  sandboxSessions,
  flows,
  flowExecutions,
  agentSettings,
  agentSnapshots,
  agentTestChats,
  testSuites,
  testCases,
  testRuns,
  whatsappContacts,
  whatsappContactNotes,
  whatsappTemplates,
  whatsappConversations,
  whatsappMessages,
  whatsappWebhooks,
  projectUsers,
  conversationAssignments,
  conversationExecutions,
  agentExecutions,
  // The Meta proxy's own data (no /api/v1 routes): numbers and their settings first, calls after
  // the permissions they check.
  phoneNumbers,
  businessProfiles,
  usernames,
  blockedUsers,
  callPermissions,
  calls,
  media,
  whatsappFlows,
] as const;

/** The fixtures format: the project record with every family's part nested where it belongs. */
export const fixtureFormat = createFixtureFormat(RESOURCES);

export interface AppDeps {
  /** Replaces the real clock (tests). */
  clock?: Clock;
  /** Where log lines go instead of stdout (tests that read the logs). */
  logStream?: NodeJS.WritableStream;
  /** Builds the OpenAPI document from the routes (app.swagger()); only renderOpenApiYaml needs it. */
  generateDocument?: boolean;
}

export function buildApp(config: Config, deps: AppDeps = {}): FastifyInstance {
  const requestLogs = config.logLevel === 'debug' || config.logLevel === 'trace';
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers["x-api-key"]', 'req.headers.authorization'], censor: '[redacted]' },
      ...(deps.logStream && { stream: deps.logStream }),
    },
    // Fastify's own per-request lines are off; see the debug hook below. Below debug level no
    // request logs at all, so requests share the app's logger instead of each making a child.
    logController: new LogController({ disableRequestLogging: true }),
    ...(!requestLogs && { childLoggerFactory: (logger) => logger }),
    bodyLimit: BODY_LIMIT,
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    // IDs of any length reach the handlers (and are simply not found) instead of the router's 414.
    routerOptions: { maxParamLength: 8192 },
    frameworkErrors,
    clientErrorHandler,
    // Slow or silent clients are cut off: headers and the whole request within 10 s, idle
    // keep-alive sockets after 5 s. There is no socket inactivity timeout (connectionTimeout):
    // responses may rightly take long (latency faults, /__admin/requests/wait up to 60 s).
    http: { headersTimeout: 10_000, requestTimeout: 10_000, connectionsCheckingInterval: 1_000 },
    requestTimeout: 10_000,
    keepAliveTimeout: 5_000,
    // A request arriving while the server closes is still served (Node adds Connection: close).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.register(errorHandlerPlugin);
  app.register(jsonBodyPlugin);
  if (config.cors) app.register(corsPlugin);
  app.register(dbPlugin, { config, clock: deps.clock ?? createClock(), resources: RESOURCES, format: fixtureFormat });
  app.register(controlPlugin, { config });
  app.register(schedulerPlugin);
  app.register(messageStatusProgress);
  app.register(webhooksPlugin);
  // Generating the document (npm run openapi, tests) captures every route registered after this.
  if (deps.generateDocument) app.register(import('./plugins/openapi-generator.js'));
  app.register(docsPlugin, { config });
  app.register(homePlugin, { config, version: VERSION });
  app.register(healthPlugin, { version: VERSION });

  app.register(
    async (api) => {
      await doorHooks(api, {}, [shadowedOperations]);
      // Unknown /api/v1 routes get the same 404, through this scope so the journal records them.
      api.setNotFoundHandler(notFoundHandler);
      for (const resource of RESOURCES) if (resource.routes) await api.register(resource.routes);
    },
    { prefix: '/api/v1' },
  );

  // The second door to the same data: Kapso's Meta proxy, for the official WhatsApp SDK.
  app.register(metaProxyPlugin, { prefix: META_PROXY_PREFIX });

  app.register(adminPlugin, { prefix: ADMIN_PREFIX, token: config.adminToken });

  // At debug level, one line per request (never with the API key); nothing on the hot path otherwise.
  if (requestLogs) {
    app.addHook('onResponse', (request, reply, done) => {
      // The path only: a query string could carry a key (?api_key=...).
      request.log.debug({ method: request.method, path: request.url.split('?', 1)[0], status: reply.statusCode, ms: reply.elapsedTime }, 'request');
      done();
    });
  }

  return app;
}
