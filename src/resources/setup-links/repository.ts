// A customer's setup links (docs/behaviour.md "Other resources"): a link expires 30 days after it was
// created, by the mock's clock; creating one revokes the customer's other active links. Expiry is
// read at request time (a stored 'active' past its expires_at answers 'expired'), so a link
// expires as the clock moves without anything being written.
import { randomBytes } from 'node:crypto';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import type { SetupLink, SetupLinkStatus } from './schemas.js';

/** How long a link stays active. */
export const SETUP_LINK_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Where Kapso's hosted setup pages live; the token after it is random per link. */
export const SETUP_URL_BASE = 'https://app.kapso.ai/whatsapp/setup/';

export interface SetupLinkRecord {
  id: string;
  customer_id: string;
  /** As stored: 'active' may read as expired (statusAt). */
  status: SetupLinkStatus;
  url: string;
  expires_at: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, customer_id, status, url, expires_at, created_at, updated_at';
const TYPE = 'setup_link';

/** 30 days after `iso`. */
export const expiryOf = (iso: string): string => new Date(Date.parse(iso) + SETUP_LINK_TTL_MS).toISOString();

/** The status a link shows at `now`: an active link whose time is over is expired. */
const statusAt = (row: SetupLinkRecord, now: string): SetupLinkStatus =>
  row.status === 'active' && row.expires_at <= now ? 'expired' : row.status;

const toSetupLink = (row: SetupLinkRecord, now: string): SetupLink => ({
  id: row.id,
  status: statusAt(row, now),
  expires_at: row.expires_at,
  url: row.url,
  created_at: row.created_at,
});

/** GET /customers/{customer_id}/setup_links: newest first, `meta.current_page` pagination. */
export const SetupLinkList = defineList<SetupLinkRecord>({
  name: 'setup_links',
  table: 'setup_links',
  columns: COLUMNS,
  scope: ['project_id', 'customer_id'],
  pagination: 'current_page',
});

export function createSetupLinkRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[SetupLinkRecord & { project_id: string }]>(
    `INSERT INTO setup_links (project_id, ${COLUMNS})
     VALUES (@project_id, @id, @customer_id, @status, @url, @expires_at, @created_at, @updated_at)`,
  );
  const activeOf = db.prepare<[string, string], SetupLinkRecord>(
    `SELECT ${COLUMNS} FROM setup_links WHERE project_id = ? AND customer_id = ? AND status = 'active'`,
  );
  const setStatus = db.prepare<[SetupLinkStatus, string, string, string]>(
    'UPDATE setup_links SET status = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const list = SetupLinkList.prepare(db);

  const createTx = db.transaction((projectId: string, customerId: string): SetupLinkRecord => {
    const now = clock.iso();
    for (const other of activeOf.all(projectId, customerId)) {
      if (statusAt(other, now) === 'expired') {
        // Already shown as expired: stored as such so the new link is the only active one. Nothing
        // a client sees changes, so no event.
        setStatus.run('expired', other.updated_at, projectId, other.id);
      } else {
        setStatus.run('revoked', now, projectId, other.id);
        events.publish('record.updated', projectId, { type: TYPE, id: other.id });
      }
    }
    const link: SetupLinkRecord = {
      id: newId(),
      customer_id: customerId,
      status: 'active',
      url: `${SETUP_URL_BASE}${randomBytes(15).toString('base64url')}`,
      expires_at: expiryOf(now),
      created_at: now,
      updated_at: now,
    };
    insert.run({ ...link, project_id: projectId });
    events.publish('record.created', projectId, { type: TYPE, id: link.id });
    return link;
  });

  return {
    /** Writes a link as given (fixtures); API creates go through create(). */
    insert(projectId: string, link: SetupLinkRecord): void {
      insert.run({ ...link, project_id: projectId });
    },

    /** A new active link for the customer; the customer's other active links are revoked in the same transaction. */
    create(projectId: string, customerId: string): SetupLink {
      const link = createTx.immediate(projectId, customerId);
      return toSetupLink(link, link.created_at);
    },

    /** A page of the customer's links, newest first, each with its status as of now. */
    list(projectId: string, customerId: string, query: Record<string, unknown>) {
      const page = list.page([projectId, customerId], query);
      const now = clock.iso();
      return { ...page, rows: page.rows.map((row) => toSetupLink(row, now)) };
    },
  };
}

export type SetupLinkRepository = ReturnType<typeof createSetupLinkRepository>;
