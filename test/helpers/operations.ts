// The one operation table of the tests, keyed by operationId: tenancy, robustness and contract
// tests share it. What the document says (method, path, parameters, body, statuses) is read from
// the committed openapi.yaml (test/openapi.test.ts proves it is what the code generates); what only
// a test needs (the family each path parameter names, a body the Demo key can send, where a created
// record is read back) comes from the families' tables in test/operations/.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { agentExecutionOperations } from '../operations/agent-executions.js';
import { agentSnapshotOperations } from '../operations/agent-snapshots.js';
import { agentTestChatOperations } from '../operations/agent-test-chats.js';
import { agentWhatsappConfigOperations } from '../operations/agent-whatsapp-configs.js';
import { agentOperations } from '../operations/agents.js';
import { conversationAssignmentOperations } from '../operations/conversation-assignments.js';
import { customerOperations } from '../operations/customers.js';
import { flowOperations } from '../operations/flows.js';
import { projectOperations } from '../operations/projects.js';
import { sandboxSessionOperations } from '../operations/sandbox-sessions.js';
import { setupLinkOperations } from '../operations/setup-links.js';
import { testSuiteOperations } from '../operations/test-suites.js';
import { whatsappConfigOperations } from '../operations/whatsapp-configs.js';
import { whatsappContactNoteOperations } from '../operations/whatsapp-contact-notes.js';
import { whatsappContactOperations } from '../operations/whatsapp-contacts.js';
import { whatsappConversationOperations } from '../operations/whatsapp-conversations.js';
import { whatsappMessageOperations } from '../operations/whatsapp-messages.js';
import { whatsappTemplateOperations } from '../operations/whatsapp-templates.js';
import { whatsappWebhookOperations } from '../operations/whatsapp-webhooks.js';
import { seed, type Kind } from './seed.js';

export type Json = Record<string, any>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a family's test table says about its kinds of record and its operations. */
export interface FamilyTable {
  /** Per kind of record: its table and the 404 a missing one answers. `parent`: the column naming the record it lives under. */
  kinds: Partial<Record<Kind, { table: string; notFound: string; parent?: { kind: Kind; column: string } }>>;
  /** Path parameters and body fields that name a record of a kind, by name (`customer_id`). */
  params?: Record<string, Kind>;
  operations: Record<string, OperationData>;
}

export interface OperationData {
  /** Kinds of path parameters this operation names differently (`{id}`, `{execution_id}`). */
  params?: Record<string, Kind>;
  /** A body the Demo key may send with the Demo Project's IDs (for operations that take one). */
  probe?: unknown;
  /** Where a created record is read back: `/api/v1/...` with `{id}` for the new ID (default: the POST URL + /{id}). */
  readBack?: string;
  /**
   * The kind of record the probe body names (an operation without path parameters whose body
   * refers to a Demo Project record, `createTestSuite`'s agent_id): another project's key gets
   * that kind's 404, as for a missing record.
   */
  references?: Kind;
  /** No GET reads back what this write answered (a message marked read: /api/v1 has no single-message GET). */
  noReadBack?: true;
  /**
   * Tables a create also writes in the caller's project besides its record (a message sent to a new
   * number opens a conversation and a contact, and moves the conversation's last_active_at).
   */
  touches?: string[];
  /** Error sentences the spec documents for this operation beyond API-DECISIONS' table, by status ("Phone number is required"). */
  errorSentences?: Record<number, string[]>;
  /** The 404 sentence for any missing path record, when the spec gives this operation one of its own ("Conversation or association not found"). */
  notFound?: string;
}

const FAMILIES: FamilyTable[] = [
  projectOperations,
  customerOperations,
  whatsappConfigOperations,
  agentOperations,
  agentWhatsappConfigOperations,
  setupLinkOperations,
  sandboxSessionOperations,
  flowOperations,
  agentSnapshotOperations,
  agentTestChatOperations,
  testSuiteOperations,
  whatsappContactOperations,
  whatsappContactNoteOperations,
  whatsappTemplateOperations,
  whatsappConversationOperations,
  whatsappMessageOperations,
  conversationAssignmentOperations,
  agentExecutionOperations,
  whatsappWebhookOperations,
];

export interface Operation {
  operationId: string;
  method: Method;
  /** The document's path template: /api/v1/customers/{customer_id}. */
  path: string;
  /** Path parameter names, in order. */
  params: string[];
  /** The kind of record each path parameter names (undefined when the table does not say). */
  kinds: (Kind | undefined)[];
  /** The request body schema ($refs resolved lazily with deref), when the operation takes one. */
  bodySchema?: Json;
  /** Documented query parameters. */
  query: { name: string; schema: Json }[];
  /** Statuses the document declares. */
  statuses: number[];
  /** The documented 2xx status. */
  success: number;
  /** True for the PUT/PATCH twin the document leaves out (both reach an update: docs/behaviour.md "Transport"). */
  alias: boolean;
  regex: RegExp;
  data: OperationData;
}

/** The committed contract document. */
export const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as Json;

export const KINDS = Object.assign({}, ...FAMILIES.map((f) => f.kinds)) as Record<Kind, { table: string; notFound: string; parent?: { kind: Kind; column: string } }>;
/** Parameter and field names that name a record of a kind. */
export const PARAM_KINDS = Object.assign({}, ...FAMILIES.map((f) => f.params ?? {})) as Record<string, Kind>;
const DATA: Record<string, OperationData> = Object.assign({}, ...FAMILIES.map((f) => f.operations));

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const documented: Operation[] = Object.entries<Json>(doc.paths)
  .filter(([path]) => path.startsWith('/api/v1/'))
  .flatMap(([path, item]) =>
    METHODS.filter((m) => item[m] !== undefined).map((m): Operation => {
      const op = item[m] as Json;
      const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])] as Json[];
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!);
      const data = DATA[String(op.operationId)] ?? {};
      const statuses = Object.keys(op.responses ?? {}).map(Number).filter(Number.isFinite);
      return {
        operationId: String(op.operationId),
        method: m.toUpperCase() as Method,
        path,
        params,
        kinds: params.map((p) => data.params?.[p] ?? PARAM_KINDS[p]),
        ...(op.requestBody && { bodySchema: op.requestBody.content?.['application/json']?.schema as Json }),
        query: parameters.filter((p) => p.in === 'query').map((p) => ({ name: String(p.name), schema: (p.schema ?? {}) as Json })),
        statuses,
        success: statuses.find((s) => s >= 200 && s < 300) ?? 200,
        alias: false,
        regex: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        data,
      };
    }),
  );

/** Every /api/v1 operation of the document, plus the PUT/PATCH twin it does not list. */
export const operations: Operation[] = documented.flatMap((op) => {
  if (op.method !== 'PUT' && op.method !== 'PATCH') return [op];
  const twin: Method = op.method === 'PUT' ? 'PATCH' : 'PUT';
  if (documented.some((o) => o.path === op.path && o.method === twin)) return [op];
  return [op, { ...op, method: twin, alias: true }];
});

/** The documented operations by operationId. */
export const byOperationId: Record<string, Operation> = Object.fromEntries(documented.map((op) => [op.operationId, op]));

export const label = (op: Operation) => `${op.method} ${op.path}${op.alias ? ' (alias)' : ''}`;

/**
 * The operation a request reached, or undefined for an unknown route. Static segments win over
 * parameters, as the router does (`/whatsapp_templates/sync_status` is not `{template_id}`).
 */
export function operationFor(method: string, url: string): Operation | undefined {
  const path = url.split('?', 1)[0]!;
  const candidates = operations.filter((op) => op.method === method && op.regex.test(path));
  const staticness = (op: Operation) => op.path.split('/').map((s) => (s.startsWith('{') ? '1' : '0')).join('');
  return candidates.sort((a, b) => staticness(a).localeCompare(staticness(b)))[0];
}

/** Resolves a `$ref` into the document's components. */
export function deref(schema: Json | undefined): Json | undefined {
  let s = schema;
  for (let i = 0; s && typeof s.$ref === 'string' && i < 10; i++) {
    const name = (s.$ref as string).split('/').pop()!;
    s = doc.components?.schemas?.[name] as Json | undefined;
  }
  return s;
}

/** The response schema the document gives an operation for a status (the twin's for an alias). */
export function responseSchema(op: Operation, status: number): Json | undefined {
  const method = op.alias ? (op.method === 'PUT' ? 'patch' : 'put') : op.method.toLowerCase();
  return (doc.paths[op.path] as Json)[method]?.responses?.[String(status)]?.content?.['application/json']?.schema as Json | undefined;
}

/** The operation's path with each parameter filled by `value(param, kind)`. */
export function fillPath(op: Operation, value: (param: string, kind: Kind | undefined, index: number) => string): string {
  let i = 0;
  return op.path.replace(/\{([^}]+)\}/g, (_m, param: string) => {
    const index = i++;
    return value(param, op.kinds[index], index);
  });
}

/** Where the record a POST created is read back. */
export function readBackUrl(op: Operation, url: string, id: string): string {
  if (op.data.readBack) return op.data.readBack.replace('{id}', encodeURIComponent(id));
  return `${url.split('?', 1)[0]!}/${encodeURIComponent(id)}`;
}

/**
 * The record a seeded record is only found under (an agent link's agent): the column its kind's
 * `parent` names, read from the fixture record when it names it (an execution's agent_id), else the
 * record it is nested in.
 */
export function seededParentOf(id: string): string | undefined {
  const found = seed.records.find((r) => r.id === id);
  const parent = found && KINDS[found.kind]?.parent;
  if (!found || !parent) return undefined;
  const named = found.record[parent.column];
  return typeof named === 'string' ? named : found.parentId;
}

/**
 * The operation's URL with every path parameter a record of the project from the fixtures (the
 * first of its kind; a record that lives under another is taken under the one chosen before it).
 */
export function seededUrl(op: Operation, projectId: string): string {
  const chosen: string[] = [];
  return fillPath(op, (param, kind) => {
    if (!kind) throw new Error(`${label(op)}: no kind for {${param}}; name it in the family's table under test/operations/`);
    let candidates = seed.ids(kind, projectId);
    if (KINDS[kind]?.parent) {
      const parentId = chosen[op.kinds.indexOf(KINDS[kind]!.parent!.kind)];
      candidates = candidates.filter((id) => seededParentOf(id) === parentId);
    }
    const id = candidates[0];
    if (id === undefined) throw new Error(`${label(op)}: the fixtures have no ${kind} for {${param}} in project ${projectId}`);
    chosen.push(id);
    return encodeURIComponent(id);
  });
}
