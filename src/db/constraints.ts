// What a broken database constraint means to an API client. The schema enforces the
// rules (migrations.ts); this table words them as Kapso does (Rails' humanized messages).
import Database from 'better-sqlite3';

const MESSAGES: Record<string, string> = {
  'UNIQUE constraint failed: agent_whatsapp_configs.project_id, agent_whatsapp_configs.agent_id, agent_whatsapp_configs.whatsapp_config_id':
    'Whatsapp config has already been taken',
  'UNIQUE constraint failed: customers.project_id, customers.external_customer_id': 'External customer has already been taken',
  'UNIQUE constraint failed: whatsapp_configs.project_id, whatsapp_configs.phone_number_id': 'Phone number has already been taken',
  'UNIQUE constraint failed: agent_whatsapp_configs.project_id, agent_whatsapp_configs.agent_id': 'Is primary has already been taken',
  'UNIQUE constraint failed: projects.api_key_hash': 'API key has already been taken',
  'UNIQUE constraint failed: projects.id': 'Project has already been taken',
};

/** For a constraint violation: the client-facing message (generic when unmapped). Otherwise undefined. */
export function describeConstraintViolation(err: unknown): string | undefined {
  if (!(err instanceof Database.SqliteError) || !err.code.startsWith('SQLITE_CONSTRAINT')) return undefined;
  return MESSAGES[err.message] ?? (err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ? 'A referenced record does not exist' : 'Validation failed');
}
