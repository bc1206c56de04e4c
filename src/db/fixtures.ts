// Seed data: fixtures are written in the API's own shape (the resources' zod schemas,
// extended with what only fixtures set: keys, write-only tokens, links), validated at
// load time, and inserted through the same repository statements as API writes.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { defaultGraph } from '../resources/agents/repository.js';
import { Agent, AgentGraph } from '../resources/agents/schemas.js';
import { Customer } from '../resources/customers/schemas.js';
import { Project } from '../resources/projects/schemas.js';
import { WhatsappConfig } from '../resources/whatsapp-configs/schemas.js';
import { configRecord } from '../resources/whatsapp-configs/repository.js';
import type { Db } from './database.js';
import type { Repositories } from './repositories.js';

const FixtureId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'must be a lowercase UUID v4');
const FixtureTime = z.iso
  .datetime({ offset: true, error: 'must be an RFC 3339 timestamp' })
  .transform((s) => new Date(s).toISOString());
const stamps = { id: FixtureId, created_at: FixtureTime.optional(), updated_at: FixtureTime.optional() };

const LinkFixture = z.strictObject({
  ...stamps,
  whatsapp_config_id: FixtureId,
  is_primary: z.boolean().default(false),
});

const ConfigFixture = WhatsappConfig.omit({ display_name: true, customer_id: true })
  .extend({ ...stamps, access_token: z.string().optional() })
  .strict();

const CustomerFixture = Customer.extend({ ...stamps, whatsapp_configs: z.array(ConfigFixture).default([]) }).strict();

const AgentFixture = Agent.omit({ project_id: true })
  .extend({
    ...stamps,
    system_prompt: z.string().optional(),
    graph: AgentGraph.optional(),
    whatsapp_configs: z.array(LinkFixture).default([]),
  })
  .strict()
  .refine((agent) => agent.whatsapp_configs.filter((l) => l.is_primary).length <= 1, {
    message: 'an agent has at most one primary WhatsApp config link',
    path: ['whatsapp_configs'],
  });

const ProjectFixture = Project.extend({
  ...stamps,
  api_key: z.string().min(1),
  customers: z.array(CustomerFixture).default([]),
  agents: z.array(AgentFixture).default([]),
}).strict();

export const FixtureDocument = z.strictObject({ projects: z.array(ProjectFixture) });
export type FixtureDocument = z.infer<typeof FixtureDocument>;
export type ProjectFixture = z.infer<typeof ProjectFixture>;

export class FixtureError extends Error {
  override name = 'FixtureError';
}

/** Names the record an issue is about: `projects[0] "Demo Project" > customers[1] (c1000000-…)`. */
function describePath(doc: unknown, path: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node: unknown = doc;
  for (let i = 0; i < path.length; i++) {
    const key = path[i]!;
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      const record = (node ?? {}) as { id?: unknown; name?: unknown };
      const label = typeof record.name === 'string' ? ` "${record.name}"` : '';
      const id = typeof record.id === 'string' ? ` (${record.id})` : '';
      parts.push(`${parts.pop() ?? ''}[${key}]${label}${id}`);
    } else {
      parts.push(String(key));
    }
  }
  return parts.join(' > ') || '(document)';
}

/** Parses and validates one fixtures document; `source` names it in errors. */
export function parseFixtures(raw: unknown, source: string): FixtureDocument {
  const result = FixtureDocument.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 10).map((issue) => `  ${describePath(raw, issue.path)}: ${issue.message}`);
    throw new FixtureError(`Invalid fixtures in ${source}:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Reads a fixtures file, or every *.json file of a folder in name order, into one document. */
export function readFixtures(path: string): FixtureDocument {
  let files: string[];
  try {
    files = statSync(path).isDirectory()
      ? readdirSync(path).filter((f) => f.endsWith('.json')).sort().map((f) => join(path, f))
      : [path];
  } catch (err) {
    throw new FixtureError(`Cannot read fixtures at ${path}: ${(err as Error).message}`);
  }
  const projects = files.flatMap((file) => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new FixtureError(`Cannot read fixtures file ${file}: ${(err as Error).message}`);
    }
    return parseFixtures(raw, basename(file)).projects;
  });
  return { projects };
}

/** Where a fixture record is, for error messages: `projects[0] "Demo Project" (1111…) > customers[2] (c100…)`. */
function at<T>(where: string, write: () => T): T {
  try {
    return write();
  } catch (err) {
    throw new FixtureError(`Cannot seed fixtures: ${where}: ${(err as Error).message}`);
  }
}

export interface ProjectRow {
  id: string;
  name: string;
  apiKey: string;
  origin?: 'fixtures' | 'sandbox' | 'auto';
  seededFrom?: string | null;
}

/**
 * Writes a fixture project's records (customers, configs, agents, links) under `projectId`:
 * the project's own ID, or a sandbox's, which then holds copies under the same record IDs.
 * Call inside a transaction.
 */
export function insertProjectRecords(repos: Repositories, clock: Clock, projectId: string, p: ProjectFixture, where: string): void {
  const now = clock.iso();
  const times = (r: { created_at?: string | undefined; updated_at?: string | undefined }) => {
    const created_at = r.created_at ?? now;
    return { created_at, updated_at: r.updated_at ?? created_at };
  };
  p.customers.forEach((c, ci) => {
    const cwhere = `${where} > customers[${ci}] (${c.id})`;
    at(cwhere, () => repos.customers.insert(projectId, { id: c.id, name: c.name, external_customer_id: c.external_customer_id, ...times(c) }));
    c.whatsapp_configs.forEach((w, wi) =>
      at(`${cwhere} > whatsapp_configs[${wi}] (${w.id})`, () =>
        repos.whatsappConfigs.insert(projectId, configRecord({ ...w, customer_id: c.id, ...times(w) })),
      ),
    );
  });
  p.agents.forEach((a, ai) => {
    const awhere = `${where} > agents[${ai}] (${a.id})`;
    at(awhere, () =>
      repos.agents.insert({
        id: a.id,
        project_id: projectId,
        name: a.name,
        description: a.description ?? null,
        system_prompt: a.system_prompt ?? null,
        graph: a.graph ?? defaultGraph(),
        ...times(a),
      }),
    );
    a.whatsapp_configs.forEach((l, li) =>
      at(`${awhere} > whatsapp_configs[${li}] (${l.id})`, () =>
        repos.agentWhatsappConfigs.insert({
          project_id: projectId,
          id: l.id,
          agent_id: a.id,
          whatsapp_config_id: l.whatsapp_config_id,
          is_primary: l.is_primary,
          ...times(l),
        }),
      ),
    );
  });
}

/** Writes one fixture project and its records. Call inside a transaction. */
export function insertProject(repos: Repositories, clock: Clock, p: ProjectFixture, apiKey: string, where: string): void {
  const now = clock.iso();
  const created_at = p.created_at ?? now;
  at(where, () => repos.projects.insert({ id: p.id, name: p.name, apiKey, origin: 'fixtures', created_at, updated_at: p.updated_at ?? created_at }));
  insertProjectRecords(repos, clock, p.id, p, where);
}

/**
 * Inserts the fixtures in one transaction: all of them or, on the first bad record, none.
 * `keys` replaces API keys by project ID (KAPSO_MOCK_API_KEY).
 */
export function seedFixtures(db: Db, repos: Repositories, clock: Clock, doc: FixtureDocument, keys: ReadonlyMap<string, string> = new Map()): void {
  db.transaction(() => {
    doc.projects.forEach((p, pi) => insertProject(repos, clock, p, keys.get(p.id) ?? p.api_key, `projects[${pi}] "${p.name}" (${p.id})`));
  })();
}
