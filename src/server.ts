// The only file that listens: config -> buildApp -> listen; SIGTERM/SIGINT -> app.close().
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = buildApp(config);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const keys = app.fixtures.projects.map((p, i) => `${p.name}: ${i === 0 && config.apiKey ? '(KAPSO_MOCK_API_KEY)' : p.api_key}`);
  app.log.info(`kapso-mock listening on http://${config.host}:${port}/api/v1 (docs /docs); keys: ${keys.join(', ') || 'none'}`);

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
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  // Bad configuration and bad fixtures end here with their own clear message, not a stack trace.
  const known = err instanceof ConfigError || (err instanceof Error && err.name === 'FixtureError');
  console.error(known ? (err as Error).message : err);
  process.exit(1);
});
