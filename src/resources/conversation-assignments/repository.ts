// Conversation assignments: which project user is responsible for a conversation. A conversation
// has at most one active assignment at every moment (a partial unique index says so too); an
// assignment's user must be an active member of the project when it is made active or given to them.
import { isConstraintError } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { AssignmentInput, AssignmentPatch, ConversationAssignment } from './schemas.js';

export interface AssignmentRecord {
  id: string;
  conversation_id: string;
  user_id: string;
  active: boolean;
  notes: string | null;
  created_by_user_id: string | null;
  created_at: string;
  updated_at: string;
}

type AssignmentRow = Omit<AssignmentRecord, 'active'> & { active: 0 | 1 };

const COLUMNS = 'id, conversation_id, user_id, active, notes, created_by_user_id, created_at, updated_at';
const TYPE = 'conversation_assignment';
export const ALREADY_ASSIGNED = 'Conversation already has an active assignment';
export const NOT_A_MEMBER = 'User is not an active member of this project';

const toRecord = (row: AssignmentRow): AssignmentRecord => ({ ...row, active: row.active === 1 });
const toAssignment = (r: AssignmentRecord | AssignmentRow): ConversationAssignment => ({
  id: r.id, user_id: r.user_id, active: r.active === true || r.active === 1, notes: r.notes, created_at: r.created_at, created_by_user_id: r.created_by_user_id,
});

/** GET /whatsapp_conversations/{id}/conversation_assignments: newest first; pagination in headers and body meta. */
export const AssignmentList = defineList<AssignmentRow, ConversationAssignment>({
  name: 'conversation_assignments',
  table: 'conversation_assignments',
  columns: COLUMNS,
  scope: ['project_id', 'conversation_id'],
  pagination: 'both',
  map: toAssignment,
});

/** What a write found: the user it names is not the project's (404) or the assignment is missing, or the assignment. */
export type AssignmentResult = { outcome: 'no_user' } | { outcome: 'missing' } | { outcome: 'ok'; assignment: ConversationAssignment };

const FIELDS = ['user_id', 'notes', 'active'] as const;

export function createConversationAssignmentRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[AssignmentRow & { project_id: string }]>(
    `INSERT INTO conversation_assignments (project_id, ${COLUMNS})
     VALUES (@project_id, @id, @conversation_id, @user_id, @active, @notes, @created_by_user_id, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string, string], AssignmentRow>(
    `SELECT ${COLUMNS} FROM conversation_assignments WHERE project_id = ? AND conversation_id = ? AND id = ?`,
  );
  const update = db.prepare<[AssignmentRow & { project_id: string }]>(
    `UPDATE conversation_assignments SET user_id = @user_id, active = @active, notes = @notes, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const list = AssignmentList.prepare(db);

  const stored = (r: AssignmentRecord, projectId: string) => ({ ...r, active: (r.active ? 1 : 0) as 0 | 1, project_id: projectId });
  /** Writes, wording the one-active rule (the partial unique index) in Kapso's terms. */
  const oneActive = (write: () => void) => {
    try {
      write();
    } catch (err) {
      if (isConstraintError(err) && err.message.includes('conversation_assignments.project_id, conversation_assignments.conversation_id')) {
        throw new RecordInvalid(ALREADY_ASSIGNED, { kind: 'validation' });
      }
      throw err;
    }
  };
  /** The user an assignment is given to must exist in the project (404) and, for an active assignment, still be a member (422). */
  const userOk = (projectId: string, userId: string, active: boolean): boolean => {
    const user = repos.projectUsers.get(projectId, userId);
    if (!user) return false;
    if (active && !user.active) throw new RecordInvalid(NOT_A_MEMBER, { kind: 'validation' });
    return true;
  };

  const createTx = db.transaction((projectId: string, conversationId: string, input: AssignmentInput): AssignmentResult => {
    if (!userOk(projectId, input.user_id, true)) return { outcome: 'no_user' };
    const now = clock.iso();
    const record: AssignmentRecord = {
      id: newId(), conversation_id: conversationId, user_id: input.user_id, active: true, notes: input.notes ?? null,
      created_by_user_id: null, created_at: now, updated_at: now,
    };
    oneActive(() => insert.run(stored(record, projectId)));
    events.publish('record.created', projectId, { type: TYPE, id: record.id });
    return { outcome: 'ok', assignment: toAssignment(record) };
  });

  const updateTx = db.transaction((projectId: string, conversationId: string, id: string, patch: AssignmentPatch): AssignmentResult => {
    const row = byId.get(projectId, conversationId, id);
    if (!row) return { outcome: 'missing' };
    const current = toRecord(row);
    const next = applyPatch(current, patch, FIELDS);
    if (!next) return { outcome: 'ok', assignment: toAssignment(current) };
    // Giving the assignment to someone, or making it active again, needs a member of the project.
    if (next.user_id !== current.user_id || (next.active && !current.active)) {
      if (!userOk(projectId, next.user_id, next.active)) return { outcome: 'no_user' };
    }
    next.updated_at = clock.iso();
    oneActive(() => update.run(stored(next, projectId)));
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { outcome: 'ok', assignment: toAssignment(next) };
  });

  return {
    /** Writes an assignment as given (fixtures), under the same one-active rule. */
    insert(projectId: string, record: AssignmentRecord): void {
      if (record.active && repos.projectUsers.get(projectId, record.user_id)?.active === false) throw new RecordInvalid(NOT_A_MEMBER, { kind: 'validation' });
      oneActive(() => insert.run(stored(record, projectId)));
    },

    /** Assigns the conversation to a user of the project; 422 (RecordInvalid) while another assignment is active. */
    create: (projectId: string, conversationId: string, input: AssignmentInput): AssignmentResult => createTx.immediate(projectId, conversationId, input),

    /** Changes the user, the notes or `active`; a patch that changes nothing writes nothing. */
    update: (projectId: string, conversationId: string, id: string, patch: AssignmentPatch): AssignmentResult =>
      updateTx.immediate(projectId, conversationId, id, patch),

    /** A page of the conversation's assignments, newest first. */
    list: (projectId: string, conversationId: string, query: Record<string, unknown>) => list.page([projectId, conversationId], query),
  };
}

export type ConversationAssignmentRepository = ReturnType<typeof createConversationAssignmentRepository>;
