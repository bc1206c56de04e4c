#!/usr/bin/env node
// The kapso-mock command (also `npm start` and the Docker image): flags and environment -> server.
import module from 'node:module';

// Node 22.1 and later (the Docker image) keep V8's compiled code of every module on disk, so a
// second start skips most of the compiling (docs/benchmark.md "Start-up"). Before the imports
// below: they are the modules it saves. Node 20 has no such cache and goes on as before.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();
const { ConfigError, parseCommand, USAGE } = await import('./config.js');
const { startServer } = await import('./server.js');
const { VERSION } = await import('./version.js');

try {
  const command = parseCommand();
  if (command.kind === 'help') console.log(USAGE);
  else if (command.kind === 'version') console.log(VERSION);
  else await startServer(command.config, { handleSignals: true });
} catch (err) {
  // Bad configuration and bad fixtures end here with their own clear message, not a stack trace.
  const known = err instanceof ConfigError || (err instanceof Error && err.name === 'FixtureError');
  const listen = (err as NodeJS.ErrnoException | null)?.syscall === 'listen' ? (err as NodeJS.ErrnoException & { address?: string; port?: number }) : undefined;
  if (known) console.error((err as Error).message);
  else if (listen) console.error(`kapso-mock cannot listen on ${listen.address}:${listen.port} (${listen.code}): ${listen.code === 'EADDRINUSE' ? 'the port is in use; choose another with PORT or --port' : 'choose another HOST/--host or PORT/--port'}.`);
  else console.error(err);
  process.exit(1);
}
