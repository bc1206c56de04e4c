// The consumer check (.ci/consumer-check): installs kapso-mock the way the README tells a user to,
// into a scratch project, on the Node version running this script, and fails when
//   - npm warns about anything (EBADENGINE above all: a dependency that does not support this
//     Node version) or the tree's `engines` exclude a Node version our own `engines` claims;
//   - the README's GitHub Actions example (docs/examples/github-actions.yml) does not run as
//     written: its `run:` steps are executed in order, only the port is changed to a free one;
//   - the installed package cannot be embedded (startKapsoMock) or started (npx kapso-mock).
// It needs npm's registry (as CI does) and takes two to three minutes where better-sqlite3 finds
// no prebuilt binary and compiles. It prints the figures (install time, npx start-up time).
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };
const work = mkdtempSync(join(tmpdir(), 'kapso-mock-consumer-'));
const failures: string[] = [];
const figures: Record<string, unknown> = { node: process.version, npm: execFileSync('npm', ['--version'], { encoding: 'utf8' }).trim() };

function sh(command: string, options: { cwd: string; env?: Record<string, string> }): SpawnSyncReturns<string> & { ms: number } {
  const started = Date.now();
  const result = spawnSync('bash', ['-c', command], { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  console.log(`$ ${command}\n${result.stdout}${result.stderr}`.trimEnd());
  return { ...result, ms: Date.now() - started };
}

/** Every warning npm printed (EBADENGINE, install scripts not covered by allowScripts, deprecations). */
const npmWarnings = (command: string, result: SpawnSyncReturns<string>) =>
  `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /^npm warn|EBADENGINE/i.test(l)).map((l) => `${command}: ${l}`);

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

let background: number | undefined;
try {
  // 1. The tarball `npm pack` makes (its prepare script builds dist/).
  const packed = sh(`npm pack --silent --pack-destination ${JSON.stringify(work)}`, { cwd: ROOT });
  if (packed.status !== 0) throw new Error('npm pack failed');
  const tarball = join(work, packed.stdout.trim().split('\n').pop()!);

  // 2. A project that depends on it as the README says, with the install scripts it names allowed.
  const consumer = join(work, 'consumer');
  sh(`mkdir -p ${JSON.stringify(consumer)}`, { cwd: work });
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({
    name: 'kapso-mock-consumer-check', version: '1.0.0', private: true, type: 'module',
    scripts: { test: 'node smoke.mjs' },
    devDependencies: { 'kapso-mock': `file:${tarball}` },
    allowScripts: { 'better-sqlite3': true, 'kapso-mock': true },
  }, null, 2)}\n`);
  // What `npm test` runs in the workflow: the API the workflow started, then an embedded mock.
  writeFileSync(join(consumer, 'smoke.mjs'), `import assert from 'node:assert/strict';
import { startKapsoMock } from 'kapso-mock';
const res = await fetch(\`\${process.env.KAPSO_API_URL}/agents\`, { headers: { 'X-API-Key': process.env.KAPSO_API_KEY } });
assert.equal(res.status, 200);
assert.equal((await res.json()).data.length, 2);
const mock = await startKapsoMock();
const own = await fetch(\`\${mock.url}/customers\`, { headers: { 'X-API-Key': mock.apiKey } });
assert.equal(own.status, 200);
await mock.close();
console.log('consumer smoke test: ok');
`);
  // The lockfile a user commits (npm ci in the workflow needs it); nothing is built yet.
  const locked = sh('npm install --package-lock-only --no-audit --no-fund', { cwd: consumer });
  if (locked.status !== 0) throw new Error('npm install --package-lock-only failed');
  failures.push(...npmWarnings('npm install --package-lock-only', locked));

  // 3. Every package of the consumer's tree supports every Node version our engines claim.
  const lock = JSON.parse(readFileSync(join(consumer, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string; engines?: { node?: string } | string[] }> };
  const claimed = pkg.engines.node.split('||').map((r) => semver.minVersion(r.trim())!.version);
  for (const version of claimed) {
    for (const [path, p] of Object.entries(lock.packages)) {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      if (path !== '' && range && !semver.satisfies(version, range)) failures.push(`${path.replace(/^.*node_modules\//, '')}@${p.version} needs Node ${range}; our engines claim ${version}`);
    }
  }
  figures.nodeVersionsChecked = claimed;

  // 4. The README's workflow, step by step.
  const port = await freePort();
  const workflow = parse(readFileSync(join(ROOT, 'docs/examples/github-actions.yml'), 'utf8')) as { jobs: Record<string, { steps: { run?: string; uses?: string; env?: Record<string, string> }[] }> };
  for (const step of Object.values(workflow.jobs)[0]!.steps) {
    if (step.run === undefined) continue; // actions/checkout, actions/setup-node: done by being here
    const command = step.run.trim().replaceAll('4400', String(port));
    const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, String(v).replaceAll('4400', String(port))]));
    if (command.endsWith('&')) {
      const child = spawn('bash', ['-c', command.slice(0, -1)], { cwd: consumer, env: { ...process.env, ...env }, detached: true, stdio: 'ignore' });
      background = child.pid;
      console.log(`$ ${command}   (pid ${background})`);
      continue;
    }
    const result = sh(command, { cwd: consumer, env });
    figures[`step ${command.split(' ').slice(0, 2).join(' ')} (ms)`] = result.ms;
    if (result.status !== 0) throw new Error(`workflow step failed (${result.status}): ${command}`);
    failures.push(...npmWarnings(command, result));
  }

  // 5. The command a user types, and how long it takes from an installed package (README "Fast path").
  const help = sh('npx kapso-mock --help', { cwd: consumer });
  if (help.status !== 0 || !help.stdout.includes('Usage: kapso-mock')) failures.push('npx kapso-mock --help did not print the usage');
  figures['npx kapso-mock --help (ms)'] = help.ms;
  figures['node_modules/.bin/kapso-mock --help (ms)'] = sh('node_modules/.bin/kapso-mock --help > /dev/null', { cwd: consumer }).ms;
} catch (err) {
  failures.push((err as Error).message);
} finally {
  if (background !== undefined) {
    try {
      process.kill(-background, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
}

console.log(`\nconsumer check figures: ${JSON.stringify(figures, null, 2)}`);
if (failures.length > 0) {
  console.error(`consumer check FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('consumer check passed: no npm warning, the README workflow runs as written');
