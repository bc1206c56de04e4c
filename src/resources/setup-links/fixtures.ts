import { z } from 'zod';
import { FixtureId, FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import { expiryOf, SETUP_URL_BASE, type SetupLinkRepository } from './repository.js';
import { SETUP_LINK_STATUSES, SetupLink } from './schemas.js';

/**
 * `projects[].setup_links[]`: customers' links, naming their customer (so they sit in a file of
 * their own). An active link reads expired once its expires_at (default: 30 days after
 * created_at) has passed; a link without created_at is created when the fixtures load, so it stays
 * active for 30 days from then. `expired` stores the link as expired whatever the clock says (as
 * a newer link stores its expired predecessor).
 */
export const setupLinkFixtures = fixturePart({
  key: 'setup_links',
  schema: SetupLink.pick({ url: true }).extend({
    customer_id: FixtureId,
    url: z.string().startsWith(SETUP_URL_BASE, `must start with ${SETUP_URL_BASE}`),
    status: z.enum(SETUP_LINK_STATUSES).default('active'),
    expires_at: FixtureTime.optional(),
  }),
  siblings: {
    check: (links) => {
      const active = links.filter((l) => l.status === 'active').map((l) => l.customer_id);
      return new Set(active).size === active.length;
    },
    message: 'a customer has at most one active setup link (creating one revokes the others)',
  },
  insert: (repo: SetupLinkRepository, l, { projectId }) =>
    repo.insert(projectId, {
      id: l.id, customer_id: l.customer_id, status: l.status, url: l.url, expires_at: l.expires_at ?? expiryOf(l.created_at),
      created_at: l.created_at, updated_at: l.updated_at,
    }),
});
