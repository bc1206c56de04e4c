// Database-level proofs: SQLite's own integrity checks, the rules the schema must keep
// (one primary link per agent, no link without its agent and config), and a state dump
// to compare before and after requests that must change nothing.
import type Database from 'better-sqlite3';
import type { Db } from '../../../src/db/database.js';

/** The app's connection or a plain better-sqlite3 one (a second, read-only connection beside a server). */
type SqliteReader = Db | Database.Database;

export interface DbReport {
  problems: string[];
  counts: Record<string, number>;
}

/** PRAGMA integrity_check, PRAGMA foreign_key_check, the is_primary invariant and orphan rows. */
export function checkDatabase(db: SqliteReader): DbReport {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check', { simple: false }) as { integrity_check: string }[];
  if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
    problems.push(`integrity_check: ${integrity.map((r) => r.integrity_check).slice(0, 5).join('; ')}`);
  }
  const fk = db.pragma('foreign_key_check') as unknown[];
  if (fk.length > 0) problems.push(`foreign_key_check: ${fk.length} rows, e.g. ${JSON.stringify(fk.slice(0, 3))}`);
  const twoPrimaries = db
    .prepare(`SELECT project_id, agent_id, sum(is_primary) AS n FROM agent_whatsapp_configs GROUP BY project_id, agent_id HAVING n > 1`)
    .all();
  if (twoPrimaries.length > 0) problems.push(`agents with more than one primary link: ${JSON.stringify(twoPrimaries)}`);
  const badFlag = db.prepare('SELECT count(*) AS n FROM agent_whatsapp_configs WHERE is_primary NOT IN (0, 1)').get() as { n: number };
  if (badFlag.n > 0) problems.push(`${badFlag.n} links with is_primary neither 0 nor 1`);
  const orphanLinks = db
    .prepare(`SELECT l.project_id, l.id FROM agent_whatsapp_configs l
      LEFT JOIN agents a ON a.project_id = l.project_id AND a.id = l.agent_id
      LEFT JOIN whatsapp_configs c ON c.project_id = l.project_id AND c.id = l.whatsapp_config_id
      WHERE a.id IS NULL OR c.id IS NULL`)
    .all();
  if (orphanLinks.length > 0) problems.push(`orphan links: ${JSON.stringify(orphanLinks.slice(0, 5))}`);
  const orphanConfigs = db
    .prepare(`SELECT w.project_id, w.id FROM whatsapp_configs w
      LEFT JOIN customers c ON c.project_id = w.project_id AND c.id = w.customer_id
      WHERE w.customer_id IS NOT NULL AND c.id IS NULL`)
    .all();
  if (orphanConfigs.length > 0) problems.push(`configs of deleted customers: ${JSON.stringify(orphanConfigs.slice(0, 5))}`);
  const orphanRows = tables(db)
    .filter((t) => t !== 'projects' && columns(db, t).includes('project_id'))
    .flatMap((t) => {
      const n = (db.prepare(`SELECT count(*) AS n FROM "${t}" WHERE project_id NOT IN (SELECT id FROM projects)`).get() as { n: number }).n;
      return n > 0 ? [`${n} rows of ${t} without a project`] : [];
    });
  problems.push(...orphanRows);
  const counts = Object.fromEntries(tables(db).map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n]));
  return { problems, counts };
}

export function tables(db: SqliteReader): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
}

function columns(db: SqliteReader, table: string): string[] {
  return (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => c.name);
}

/**
 * Every row of every table in a stable order, as one string; with `projectId`, only that
 * project's rows (its `projects` row and every row whose project_id is it; tables without a
 * project_id, which hold no tenant data, are left out).
 */
export function dump(db: SqliteReader, projectId?: string): string {
  const out: Record<string, unknown[]> = {};
  for (const table of tables(db)) {
    const cols = columns(db, table);
    const order = cols.map((c) => `"${c}"`).join(', ');
    let where = '';
    if (projectId !== undefined) {
      if (table === 'projects') where = 'WHERE id = @p';
      else if (cols.includes('project_id')) where = 'WHERE project_id = @p';
      else continue; // not tenant data (e.g. a request journal)
    }
    const stmt = db.prepare(`SELECT * FROM "${table}" ${where} ORDER BY ${order}`);
    out[table] = where ? stmt.all({ p: projectId }) : stmt.all();
  }
  return JSON.stringify(out);
}

/** Where two dumps differ, table by table (for failure messages). */
export function dumpDiff(before: string, after: string): string {
  const a = JSON.parse(before) as Record<string, unknown[]>;
  const b = JSON.parse(after) as Record<string, unknown[]>;
  const lines: string[] = [];
  for (const table of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const old = new Set((a[table] ?? []).map((r) => JSON.stringify(r)));
    const now = new Set((b[table] ?? []).map((r) => JSON.stringify(r)));
    for (const r of old) if (!now.has(r)) lines.push(`${table} - ${r.slice(0, 200)}`);
    for (const r of now) if (!old.has(r)) lines.push(`${table} + ${r.slice(0, 200)}`);
  }
  return lines.slice(0, 10).join('\n');
}
