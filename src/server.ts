// The only file that listens: config -> buildApp -> listen; SIGTERM/SIGINT -> app.close().
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppDeps } from './app.js';
import type { Config } from './config.js';
import { keyHints } from './plugins/home.js';

/** How long in-flight requests get to finish after SIGTERM/SIGINT or close(). */
export const SHUTDOWN_GRACE_MS = 800;

export interface RunningServer {
  app: FastifyInstance;
  /** http://host:port, without /api/v1. */
  url: string;
  /** Lets in-flight requests finish (for SHUTDOWN_GRACE_MS at most), then closes the server and the database. */
  close(): Promise<void>;
}

export interface ServeOptions extends AppDeps {
  /** Close on SIGTERM/SIGINT and exit the process (the CLI and Docker; not when embedded). */
  handleSignals?: boolean;
}

export async function startServer(config: Config, options: ServeOptions = {}): Promise<RunningServer> {
  const app = buildApp(config, options);
  // Installed before listening: the start-up line is the signal that the server is ready, so a
  // SIGTERM sent as soon as it appears must already be handled.
  if (options.handleSignals) {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info(`${signal}: finishing in-flight requests and closing`);
      closeGracefully(app).then(
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
  try {
    await app.ready();
    // The bundled fixtures' keys are public (README); keys of your own fixtures are only hinted at.
    const keys = keyHints(app, config).map((k) => `${k.project}: ${k.key}`).join(', ');
    // The start-up line, one per address listened on (one, unless HOST is 0.0.0.0).
    await app.listen({
      host: config.host,
      port: config.port,
      listenTextResolver: (address) => `kapso-mock listening on ${address}/api/v1 (docs ${address}/docs, inspector ${address}/__inspector/); keys: ${keys || 'none'}`,
    });
  } catch (err) {
    // A port in use, bad fixtures...: close what was opened (the database above all: exiting with
    // it open can crash Node 24 in better-sqlite3's cleanup) and let the caller report the error.
    await app.close().catch(() => undefined);
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;

  return { app, url, close: () => closeGracefully(app) };
}

/**
 * Closes `app` as SIGTERM does and as startKapsoMock()'s close() does: requests in flight finish,
 * keep-alive sockets are closed as they go idle, and whatever is still open SHUTDOWN_GRACE_MS
 * later is cut, so no client can hold the close longer: a stalled upload, or a request whose
 * headers never end (once the server closes, Node no longer times those out). What shutdown costs,
 * and why it takes longer on a starved machine (the signal waits for the event loop's turn):
 * docs/behaviour.md, "Connections and shutdown".
 */
function closeGracefully(app: FastifyInstance): Promise<void> {
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => app.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  sweep.unref();
  deadline.unref();
  return app.close().finally(() => {
    clearInterval(sweep);
    clearTimeout(deadline);
  });
}
