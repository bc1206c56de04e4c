// The package's entry point for embedding kapso-mock in a test suite:
//
//   const mock = await startKapsoMock();          // free port, in-memory DB, the bundled fixtures
//   const kapso = new Client({ baseURL: mock.url, apiKey: mock.apiKey });
//   const whatsapp = new WhatsAppClient({ baseUrl: mock.metaProxyUrl, graphVersion: 'v24.0', kapsoApiKey: mock.apiKey });
//   afterEach(() => mock.admin.reset());
//   afterAll(() => mock.close());
import { createAdminClient, type AdminClient } from './admin/client.js';
import { makeConfig, type Config } from './config.js';
import { fixtureFormat } from './app.js';
import { startServer } from './server.js';

export { createAdminClient, AdminError } from './admin/client.js';
export type {
  AdminCall, AdminClient, ClockState, FaultInput, FaultRule, RecordedRequest, RequestFilter, SandboxProject, Settings,
} from './admin/client.js';
export { buildApp } from './app.js';
export { makeConfig, type Config } from './config.js';

export interface KapsoMockOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** A fixtures folder or file, a fixtures document, or false for none. Default: the bundled fixtures. */
  fixtures?: string | false | { projects: unknown[] };
  /** SQLite file to keep state in. Default ':memory:'. */
  db?: string;
  /** Replaces the Demo Project's key. */
  apiKey?: string;
  adminToken?: string;
  autoProvision?: boolean;
  journalSize?: number;
  rateLimit?: number;
  /** Default 'silent'. */
  logLevel?: Config['logLevel'];
  cors?: boolean;
}

export interface KapsoMock {
  /** The base URL for a Kapso client: http://127.0.0.1:<port>/api/v1. */
  url: string;
  /** The server without /api/v1 (for /health, /docs, /__admin). */
  origin: string;
  /** The Meta proxy's base URL for the official WhatsApp SDK (its baseUrl): http://127.0.0.1:<port>/meta/whatsapp. */
  metaProxyUrl: string;
  /** The first fixture project's key (kapso-demo-key with the bundled fixtures). */
  apiKey: string | undefined;
  /** Reset, snapshots, journal, faults, clock, sandboxes. */
  admin: AdminClient;
  /** Stops the server (in-flight requests finish first). */
  close(): Promise<void>;
}

export async function startKapsoMock(options: KapsoMockOptions = {}): Promise<KapsoMock> {
  const { fixtures } = options;
  // An inline document is checked before anything listens, and takes the apiKey option like a file would.
  const inline = typeof fixtures === 'object' ? fixtureFormat.parse(fixtures, 'the fixtures option') : undefined;
  if (inline?.projects[0] && options.apiKey !== undefined) inline.projects[0] = { ...inline.projects[0], api_key: options.apiKey };
  const config = makeConfig({
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    dbPath: options.db ?? ':memory:',
    logLevel: options.logLevel ?? 'silent',
    ...(typeof fixtures === 'string' && { fixturesPath: fixtures }),
    ...((fixtures === false || typeof fixtures === 'object') && { fixturesPath: null }),
    ...(options.apiKey !== undefined && { apiKey: options.apiKey }),
    ...(options.adminToken !== undefined && { adminToken: options.adminToken }),
    ...(options.autoProvision !== undefined && { autoProvision: options.autoProvision }),
    ...(options.journalSize !== undefined && { journalSize: options.journalSize }),
    ...(options.rateLimit !== undefined && { rateLimit: options.rateLimit }),
    ...(options.cors !== undefined && { cors: options.cors }),
  });
  const server = await startServer(config);
  if (inline) server.app.state.loadFixtures(inline, 'replace');
  const first = server.app.state.fixtures().projects[0];
  return {
    url: `${server.url}/api/v1`,
    origin: server.url,
    metaProxyUrl: `${server.url}/meta/whatsapp`,
    apiKey: first ? (options.apiKey ?? first.api_key) : undefined,
    admin: createAdminClient(server.url, options.adminToken),
    close: server.close,
  };
}
