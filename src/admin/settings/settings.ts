// Settings a test can change while the server runs (GET/PATCH /__admin/settings), and the
// rate limiter they drive. Start-up values come from config.ts.
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';

export interface Settings {
  /** Requests per minute per API key; 0: no limit. */
  rateLimit: number;
  /** An unknown API key gets its own empty project on first use. */
  autoProvision: boolean;
  /** The 24-hour customer-service window is enforced on non-template sends. */
  messagingWindow: boolean;
  /** Templates created or edited through the Meta proxy skip review (approved at once). */
  autoApproveTemplates: boolean;
  /** Outbound messages move sent -> delivered -> read by themselves (mock clock). */
  autoMessageStatus: boolean;
  /** Mock-clock ms from sent to delivered, with autoMessageStatus. */
  deliveredAfterMs: number;
  /** Mock-clock ms from delivered to read, with autoMessageStatus. */
  readAfterMs: number;
  /** Mock-clock ms after each failed webhook attempt before the next; its length is the number of retries. */
  webhookRetryDelaysMs: number[];
  /** Real ms a receiver has to answer a webhook delivery. */
  webhookTimeoutMs: number;
  /** Finished webhook deliveries kept. */
  webhookHistory: number;
  /** Hosts webhook deliveries may go to (empty: any). */
  webhookHosts: string[];
  /** Fault for receivers: mock-clock ms every new webhook delivery waits before its first attempt. */
  webhookDelayMs: number;
  /** Fault for receivers: the chance (0 to 1) that a delivered webhook is sent a second time (at-least-once delivery). */
  webhookDuplicateRate: number;
}

/** The runtime settings a server starts with: its configuration's. */
export const settingsFrom = (config: Config): Settings => ({
  rateLimit: config.rateLimit,
  autoProvision: config.autoProvision,
  messagingWindow: config.messagingWindow,
  autoApproveTemplates: config.autoApproveTemplates,
  autoMessageStatus: config.autoMessageStatus,
  deliveredAfterMs: config.deliveredAfterMs,
  readAfterMs: config.readAfterMs,
  webhookRetryDelaysMs: [...config.webhookRetryDelaysMs],
  webhookTimeoutMs: config.webhookTimeoutMs,
  webhookHistory: config.webhookHistory,
  webhookHosts: [...config.webhookHosts],
  // The faults start off; /__admin/settings switches them on.
  webhookDelayMs: 0,
  webhookDuplicateRate: 0,
});

export const WINDOW_MS = 60_000;

/** Fixed one-minute windows per project key, on the mock's clock (so tests can move past a window). */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: Clock) {}

  take(key: string, limit: number): { allowed: boolean; remaining: number; retryAfter: number } {
    const now = this.clock.now();
    const start = now - (now % WINDOW_MS);
    let w = this.windows.get(key);
    if (!w || w.start !== start) {
      w = { start, count: 0 };
      this.windows.set(key, w);
    }
    const allowed = w.count < limit;
    if (allowed) w.count++;
    return { allowed, remaining: Math.max(0, limit - w.count), retryAfter: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)) };
  }

  clear(): void {
    this.windows.clear();
  }
}
