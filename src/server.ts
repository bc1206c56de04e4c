// The only file that listens: config -> buildApp -> listen; SIGTERM/SIGINT -> app.close().
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import type { Config } from './config.js';

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port, without /api/v1. */
  url: string;
  /** Lets in-flight requests finish, then closes the server and the database. */
  close(): Promise<void>;
}

export interface ServeOptions extends AppDeps {
  /** Close on SIGTERM/SIGINT and exit the process (the CLI and Docker; not when embedded). */
  handleSignals?: boolean;
}

export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const app = buildApp(config, options);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const keys = app.fixtures.projects.map((p, i) => `${p.name}: ${i === 0 && config.apiKey ? '(KAPSO_MOCK_API_KEY)' : p.api_key}`);
  app.log.info(`kapso-mock listening on ${url}/api/v1 (docs ${url}/docs); keys: ${keys.join(', ') || 'none'}`);

  if (options.handleSignals) {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info(`${signal}: finishing in-flight requests and closing`);
      app.close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'error while closing');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  }
  return { app, url, close: () => app.close() };
}
