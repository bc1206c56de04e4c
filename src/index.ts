// The package's entry point for embedding kapso-mock in a test suite (docs/testing.md):
//
//   const mock = await startKapsoMock();          // free port, in-memory DB, the bundled fixtures
//   const kapso = new Client({ baseURL: mock.url, apiKey: mock.apiKey });
//   const whatsapp = new WhatsAppClient({ baseUrl: mock.metaProxyUrl, graphVersion: 'v24.0', kapsoApiKey: mock.apiKey });
//   afterEach(() => mock.admin.reset());
//   afterAll(() => mock.close());
import { randomBytes } from 'node:crypto';
import { createAdminClient, type AdminClient } from './admin/client.js';
import { fixtureFormat } from './app.js';
import { configFromOptions, type SettingOptions } from './config.js';
import { startServer } from './server.js';

export { createAdminClient, AdminError } from './admin/client.js';
export type {
  AdminCall, AdminClient, AdminConversation, AdminExecution, AdminMessage, AgentWebhook, AgentWebhookInput, AgentWebhookPatch, ClockState,
  ExecutionStatusInput, FaultInput, FaultRule, InboundInput, InboundResult, MessageStatusInput, ProjectUser, ProjectUserInput,
  RecordedRequest, RequestFilter, SandboxProject, Settings, WebhookDelivery, WebhookDeliveryFilter,
} from './admin/client.js';
export { payloadSchema } from './webhooks/payload-schemas.js';
export { buildApp } from './app.js';
export { makeConfig, type Config } from './config.js';

/**
 * One option per setting of the server, named in the Option column of the README's
 * configuration table (src/config.ts SETTINGS), with a free port and no logs unless told;
 * `fixtures` also takes a fixtures document.
 */
export interface KapsoMockOptions extends Omit<SettingOptions, 'fixtures'> {
  /** A fixtures folder or file, a fixtures document, or false for none. Default: the bundled fixtures. */
  fixtures?: string | false | { projects: unknown[] };
}

/** The project startKapsoMock() adds when the fixtures hold none, so that `apiKey` always opens something. */
export const EMPTY_PROJECT_ID = '00000000-0000-4000-8000-000000000000';

export interface KapsoMock {
  /** The base URL for a Kapso client: http://127.0.0.1:<port>/api/v1. */
  url: string;
  /** The server without /api/v1 (for /health, /docs, /__admin). */
  origin: string;
  /** The Meta proxy's base URL for the official WhatsApp SDK (its baseUrl): http://127.0.0.1:<port>/meta/whatsapp. */
  metaProxyUrl: string;
  /**
   * The first fixture project's key: kapso-demo-key with the bundled fixtures, the `apiKey`
   * option when given. With no fixture project (`fixtures: false`), the key of an empty
   * project startKapsoMock adds (see EMPTY_PROJECT_ID).
   */
  apiKey: string;
  /** Reset, snapshots, journal, faults, clock, sandboxes. */
  admin: AdminClient;
  /**
   * Stops the server: requests in flight get 800 ms to finish, then every connection still open
   * is cut (a client that never finishes its request cannot hold the close).
   */
  close(): Promise<void>;
}

export async function startKapsoMock(options: KapsoMockOptions = {}): Promise<KapsoMock> {
  const { fixtures, ...settings } = options;
  // An inline document is checked before anything listens, and takes the apiKey option like a file would.
  const inline = typeof fixtures === 'object' ? fixtureFormat.parse(fixtures, 'the fixtures option') : undefined;
  if (inline?.projects[0] && options.apiKey !== undefined) inline.projects[0] = { ...inline.projects[0], api_key: options.apiKey };
  const config = configFromOptions({
    ...settings,
    ...(typeof fixtures === 'string' && { fixtures }),
    ...((fixtures === false || inline) && { fixtures: null }),
  });
  const server = await startServer(config);
  if (inline) server.app.state.loadFixtures(inline, 'replace');
  let first = server.app.state.fixtures().projects[0];
  if (!first) {
    // Nothing to take a key from: an empty project, loaded as fixtures so that reset keeps it.
    const apiKey = options.apiKey ?? `kapso-mock-${randomBytes(12).toString('hex')}`;
    const empty = fixtureFormat.parse({ projects: [{ id: EMPTY_PROJECT_ID, name: 'Empty Project', api_key: apiKey }] }, 'startKapsoMock');
    server.app.state.loadFixtures(empty, 'replace');
    first = empty.projects[0]!;
  }
  return {
    url: `${server.url}/api/v1`,
    origin: server.url,
    metaProxyUrl: `${server.url}/meta/whatsapp`,
    apiKey: options.apiKey ?? first.api_key,
    admin: createAdminClient(server.url, options.adminToken),
    close: server.close,
  };
}
