// Fault rules: make chosen /api/v1 or Meta proxy requests fail, slow down or drop, always, the next N
// times, or with a probability.
import { newId } from '../../lib/ids.js';

export interface FaultInput {
  /** Any method when absent. */
  method?: string | undefined;
  /** Exact path, or a pattern where `*` or `{name}` stands for one segment and `**` for the rest. */
  path: string;
  project_id?: string | undefined;
  /** Answer this status (with `body`, default Kapso's envelope for it). */
  status?: number | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** Delay before answering (fixed, or uniform between min and max). */
  latency_ms?: number | { min: number; max: number } | undefined;
  /** Close the connection without an answer. */
  drop?: boolean | undefined;
  /** Fire this many times, then stop (absent: always). */
  times?: number | undefined;
  /** Chance of firing for each matching request (default 1). */
  probability?: number | undefined;
}

export interface FaultRule extends FaultInput {
  id: string;
  /** Times left to fire (null: unlimited). */
  remaining: number | null;
  /** Times it fired. */
  hits: number;
  created_at: string;
}

export function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((segment) => {
      if (segment === '**') return '.*';
      if (segment === '*' || /^\{[^}]+\}$/.test(segment) || /^:\w+$/.test(segment)) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body.replace(/\/\.\*$/, '(?:/.*)?')}$`);
}

export class FaultRules {
  private rules: (FaultRule & { regex: RegExp })[] = [];

  add(input: FaultInput, now: string): FaultRule {
    const rule = { ...input, id: newId(), remaining: input.times ?? null, hits: 0, created_at: now, regex: patternToRegExp(input.path) };
    this.rules.push(rule);
    return this.view(rule);
  }

  list(): FaultRule[] {
    return this.rules.map((r) => this.view(r));
  }

  get size(): number {
    return this.rules.length;
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fires for this request (and counts the hit), if any. */
  fire(method: string, path: string, projectId: string | null, random: () => number = Math.random): FaultRule | undefined {
    for (const rule of this.rules) {
      if (rule.remaining === 0) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.project_id !== undefined && rule.project_id !== projectId) continue;
      if (!rule.regex.test(path)) continue;
      if (rule.probability !== undefined && random() >= rule.probability) continue;
      rule.hits++;
      if (rule.remaining !== null) rule.remaining--;
      return this.view(rule);
    }
    return undefined;
  }

  private view({ regex: _regex, ...rule }: FaultRule & { regex: RegExp }): FaultRule {
    return { ...rule };
  }
}
