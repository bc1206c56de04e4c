import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';

export const USERNAME_STATUSES = ['reserved', 'approved'] as const;

const DOMAIN_ENDINGS = ['.com', '.net', '.org', '.info', '.biz', '.io', '.ai', '.co', '.app', '.html', '.php'];

/**
 * What is wrong with a username, in the words of Kapso's business usernames guide, or undefined
 * when WhatsApp takes it: 3 to 35 characters, English letters, digits, periods and underscores,
 * at least one letter, no period at either end or twice in a row, not starting with www, not
 * ending like a web address. Usernames are not case-sensitive (stored lowercase).
 */
export function usernameProblem(username: string): string | undefined {
  const u = username.toLowerCase();
  if (u.length < 3 || u.length > 35) return 'Username must be 3 to 35 characters';
  if (!/^[a-z0-9._]+$/.test(u)) return 'Username may only use English letters, digits, periods and underscores';
  if (!/[a-z]/.test(u)) return 'Username must contain at least one English letter';
  if (u.startsWith('.') || u.endsWith('.')) return 'Username cannot start or end with a period';
  if (u.includes('..')) return 'Username cannot contain consecutive periods';
  if (u.startsWith('www')) return 'Username cannot start with www';
  if (DOMAIN_ENDINGS.some((d) => u.endsWith(d))) return 'Username cannot end with a domain extension such as .com';
  return undefined;
}

/** `projects[].usernames[]`: a phone number's business username. */
export const UsernameFixture = z.object({
  whatsapp_config_id: FixtureId,
  username: z.string().refine((u) => usernameProblem(u) === undefined, { message: 'is not a valid WhatsApp username' }),
  status: z.enum(USERNAME_STATUSES).default('approved'),
});
