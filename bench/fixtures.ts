// Fixture sets the benchmark generates into bench/tmp/ (gitignored), in the format users
// write (fixtures/*.json; validated by src/db/fixtures.ts at start-up):
//   load/  the bundled fixtures (every family), with the Demo Project grown to 1,000 customers (the list case);
//   10k/   10,000 records in 10 projects (the cold-start case).
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { ProjectFixture as BaseProject } from '../src/db/fixtures.js';
import { linkFixtures } from '../src/resources/agent-whatsapp-configs/fixtures.js';
import { agentFixtures } from '../src/resources/agents/fixtures.js';
import { customerFixtures } from '../src/resources/customers/fixtures.js';
import { whatsappConfigFixtures } from '../src/resources/whatsapp-configs/fixtures.js';
import { ROOT } from './processes.js';

export const TMP = join(ROOT, 'bench', 'tmp');

/** Removes a database file the benchmark made, with its WAL and shared-memory files. */
export function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Record counts of a fixtures set, by kind. */
export interface FixtureCounts {
  projects: number;
  customers: number;
  whatsapp_configs: number;
  agents: number;
  links: number;
  total: number;
}

// The records' own shapes come from the families' fixture parts; only the nesting is spelled out here.
type Fields<T extends { schema: z.ZodType }> = Omit<z.input<T['schema']>, 'created_at' | 'updated_at'> & { id: string; created_at: string; updated_at?: string };
type LinkFixture = Fields<typeof linkFixtures>;
type ConfigFixture = Fields<typeof whatsappConfigFixtures>;
type CustomerFixture = Fields<typeof customerFixtures> & { whatsapp_configs: ConfigFixture[] };
type AgentFixture = Fields<typeof agentFixtures> & { whatsapp_configs: LinkFixture[] };
type ProjectFixture = BaseProject & { customers: CustomerFixture[]; agents: AgentFixture[] };
interface FixtureDocument { projects: ProjectFixture[] }

/** A lowercase UUID v4 made of a type prefix (8 hex), a group number and a sequence number. */
const uuid = (prefix: string, group: number, n: number) =>
  `${prefix}-0000-4${group.toString(16).padStart(3, '0')}-8000-${n.toString(16).padStart(12, '0')}`;

const BASE_TIME = Date.parse('2026-01-01T00:00:00.000Z');
const minutes = (n: number) => new Date(BASE_TIME + n * 60_000).toISOString();

export function countRecords(doc: FixtureDocument): FixtureCounts {
  const c: FixtureCounts = { projects: 0, customers: 0, whatsapp_configs: 0, agents: 0, links: 0, total: 0 };
  for (const p of doc.projects) {
    c.projects++;
    c.customers += p.customers.length;
    for (const customer of p.customers) c.whatsapp_configs += customer.whatsapp_configs.length;
    c.agents += p.agents.length;
    for (const agent of p.agents) c.links += agent.whatsapp_configs.length;
  }
  c.total = c.projects + c.customers + c.whatsapp_configs + c.agents + c.links;
  return c;
}

function fresh(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** The bundled fixtures with the Demo Project grown to `customers` customers; returns the folder. */
export function writeLoadFixtures(customers = 1000): { dir: string; counts: FixtureCounts } {
  const dir = fresh(join(TMP, 'fixtures-load'));
  const demo = JSON.parse(readFileSync(join(ROOT, 'fixtures', '01-demo-project.json'), 'utf8')) as FixtureDocument;
  const other = JSON.parse(readFileSync(join(ROOT, 'fixtures', '02-other-project.json'), 'utf8')) as FixtureDocument;
  const project = demo.projects[0]!;
  for (let i = project.customers.length; i < customers; i++) {
    const at = minutes(i);
    project.customers.push({
      id: uuid('c1000000', 1, i), name: `Bench Customer ${i}`, external_customer_id: `BENCH-${i}`,
      created_at: at, updated_at: at, whatsapp_configs: [],
    });
  }
  writeFileSync(join(dir, '01-demo-project.json'), JSON.stringify(demo, null, 2));
  writeFileSync(join(dir, '02-other-project.json'), JSON.stringify(other, null, 2));
  // The other families' files (inbox, flows, the proxy's records...) as they are bundled.
  for (const name of readdirSync(join(ROOT, 'fixtures'))) {
    if (name.endsWith('.json') && !name.startsWith('01-') && !name.startsWith('02-')) copyFileSync(join(ROOT, 'fixtures', name), join(dir, name));
  }
  const counts = countRecords({ projects: [...demo.projects, ...other.projects] });
  return { dir, counts };
}

/**
 * 10,000 records: 10 projects, each with 399 customers, 400 WhatsApp configs (the first
 * customer has two), 100 agents and 100 links (agents 0-49 have two links, one primary).
 */
export function writeTenThousandFixtures(): { dir: string; counts: FixtureCounts } {
  const dir = fresh(join(TMP, 'fixtures-10k'));
  const doc: FixtureDocument = { projects: [] };
  let t = 0;
  for (let p = 1; p <= 10; p++) {
    const configs: ConfigFixture[] = [];
    const customers: CustomerFixture[] = [];
    for (let i = 0; i < 399; i++) {
      const own = i === 0 ? 2 : 1;
      const mine: ConfigFixture[] = [];
      for (let k = 0; k < own; k++) {
        const n = configs.length;
        const config: ConfigFixture = {
          id: uuid('b9000000', p, n), name: `Line ${p}-${n}`,
          phone_number_id: `${p}${String(n).padStart(9, '0')}`, business_account_id: `${p}${String(i).padStart(9, '0')}`,
          webhook_verify_token: `verify-${p}-${n}`, webhook_destination_url: `https://hooks.example.com/p${p}/line/${n}`,
          access_token: `EAAGbenchToken${p}x${n}`, created_at: minutes(++t),
        };
        configs.push(config);
        mine.push(config);
      }
      const at = minutes(++t);
      customers.push({
        id: uuid('c9000000', p, i), name: `Customer ${p}-${i} Holdings`, external_customer_id: `EXT-${p}-${i}`,
        created_at: at, updated_at: at, whatsapp_configs: mine,
      });
    }
    const agents: AgentFixture[] = [];
    for (let j = 0; j < 100; j++) {
      const links: LinkFixture[] = j < 50
        ? [0, 1].map((k) => ({ id: uuid('d9000000', p, 2 * j + k), whatsapp_config_id: configs[2 * j + k]!.id, is_primary: k === 0, created_at: minutes(++t) }))
        : [];
      agents.push({
        id: uuid('a9000000', p, j), name: `Agent ${p}-${j}`, description: `Answers customers of project ${p}, queue ${j}.`,
        system_prompt: 'You are a helpful WhatsApp assistant. Keep answers short and polite.', created_at: minutes(++t), whatsapp_configs: links,
      });
    }
    doc.projects.push({ id: uuid('f0000000', p, 0), name: `Bench Project ${p}`, api_key: `bench-10k-key-${p}`, customers, agents });
  }
  writeFileSync(join(dir, 'fixtures.json'), JSON.stringify(doc, null, 2));
  const counts = countRecords(doc);
  if (counts.total !== 10_000) throw new Error(`the 10k fixtures set has ${counts.total} records`);
  return { dir, counts };
}
