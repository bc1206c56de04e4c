// Database constraints in Kapso's words. The schema enforces the rules (migrations.ts); the
// repository that owns a constraint words it (Rails' humanized messages) by wrapping its writes:
//
//   const unique = uniqueRules({ 'customers.project_id, customers.external_customer_id': 'External customer has already been taken' });
//   unique(() => insert.run(...));
//
// A constraint no repository words reaches the error handler as it is and gets the generic 422.
import Database from 'better-sqlite3';
import { RecordInvalid } from '../errors.js';

export const isConstraintError = (err: unknown): err is InstanceType<typeof Database.SqliteError> =>
  err instanceof Database.SqliteError && err.code.startsWith('SQLITE_CONSTRAINT');

/** A wrapper for writes: a broken UNIQUE constraint on one of these column lists becomes RecordInvalid with its message. */
export function uniqueRules(messages: Record<string, string>) {
  return <T>(write: () => T): T => {
    try {
      return write();
    } catch (err) {
      if (isConstraintError(err)) {
        const message = messages[err.message.replace(/^UNIQUE constraint failed: /, '')];
        if (message !== undefined) throw new RecordInvalid(message);
      }
      throw err;
    }
  };
}
