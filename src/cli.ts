// The kapso-mock command (also `npm start` and the Docker image): flags and environment -> server.
// scripts/bundle.ts bundles it, with its dependencies, into dist/kapso-mock.cjs, which
// dist/kapso-mock.js (src/launch.ts) runs; `node dist/cli.js` and `tsx src/cli.ts` run it unbundled.
import { ConfigError, parseCommand, USAGE } from './config.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

async function main(): Promise<void> {
  const command = parseCommand();
  if (command.kind === 'help') console.log(USAGE);
  else if (command.kind === 'version') console.log(VERSION);
  else await startServer(command.config, { handleSignals: true });
}

main().catch((err: unknown) => {
  // Bad configuration and bad fixtures end here with their own clear message, not a stack trace.
  const known = err instanceof ConfigError || (err instanceof Error && err.name === 'FixtureError');
  const listen = (err as NodeJS.ErrnoException | null)?.syscall === 'listen' ? (err as NodeJS.ErrnoException & { address?: string; port?: number }) : undefined;
  if (known) console.error((err as Error).message);
  else if (listen) console.error(`kapso-mock cannot listen on ${listen.address}:${listen.port} (${listen.code}): ${listen.code === 'EADDRINUSE' ? 'the port is in use; choose another with PORT or --port' : 'choose another HOST/--host or PORT/--port'}.`);
  else console.error(err);
  process.exit(1);
});
