// One HTTP POST to a receiver: the exact body bytes, the stored headers, a real-time timeout.
// Connections are kept alive between deliveries through the worker's agents (a TCP handshake per
// delivery cost both ends more than the request); an idle one never holds the process (Node unrefs
// it, drops it when the receiver closes it, and closes it before the receiver's announced
// Keep-Alive timeout). A connection that breaks before the answer is a failed attempt, kept or new:
// the receiver may have read the request (Node cannot tell), so it is never resent silently, and a
// receiver's dropped connection always shows in the attempts. The worker can abort any request in flight
// (the app closing, a reset) and destroys its agents when the app closes, so no receiver can hold
// the process: SIGTERM never waits for a slow one.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';

export interface SendResult {
  status: number | null;
  error: string | null;
  durationMs: number;
  responseBody: string | null;
}

/** Characters of the receiver's answer kept with the attempt. */
export const RESPONSE_EXCERPT = 512;

/** The connections kept between deliveries, one pool per scheme; destroy() closes them all. */
export interface Agents {
  http: http.Agent;
  https: https.Agent;
  destroy(): void;
}

/** Idle connections kept per receiver at most (as many as deliveries may be in flight). */
const KEPT_PER_HOST = 16;

export function createAgents(): Agents {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxFreeSockets: KEPT_PER_HOST }),
    https: new https.Agent({ keepAlive: true, maxFreeSockets: KEPT_PER_HOST }),
  };
  return { ...agents, destroy: () => { agents.http.destroy(); agents.https.destroy(); } };
}

/** A host as the allow-list names it: lowercase, IPv6 without brackets. */
const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');

/**
 * Posts `body`; resolves when the receiver answered (its status), or with the error: refused, timed
 * out after `timeoutMs` real milliseconds, aborted through `signal`, or a host outside
 * `allowedHosts` (empty: any host). Never rejects.
 */
export function post(
  target: string, headers: Record<string, string>, body: string,
  opts: { timeoutMs: number; allowedHosts: readonly string[]; signal: AbortSignal; agents: Agents },
): Promise<SendResult> {
  const started = performance.now();
  const done = (r: Omit<SendResult, 'durationMs'>): SendResult => ({ ...r, durationMs: Math.round((performance.now() - started) * 1000) / 1000 });
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return Promise.resolve(done({ status: null, error: 'invalid URL', responseBody: null }));
  }
  const allowed = opts.allowedHosts.map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, '$1'));
  if (allowed.length > 0 && !allowed.includes(hostOf(url))) {
    return Promise.resolve(done({ status: null, error: `host ${url.hostname} is not in webhook_hosts (KAPSO_MOCK_WEBHOOK_HOSTS)`, responseBody: null }));
  }
  if (opts.signal.aborted) return Promise.resolve(done({ status: null, error: ABORTED, responseBody: null }));
  const bytes = Buffer.from(body, 'utf8');
  const secure = url.protocol === 'https:';
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const settle = (r: Omit<SendResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      resolve(done(r));
    };
    const request = (secure ? https : http).request(url, {
      method: 'POST',
      agent: secure ? opts.agents.https : opts.agents.http,
      headers: { ...headers, 'Content-Length': String(bytes.length) },
    });
    const timer = setTimeout(() => {
      settle({ status: null, error: `timed out after ${opts.timeoutMs} ms`, responseBody: null });
      request.destroy();
    }, opts.timeoutMs);
    timer.unref();
    const onAbort = () => {
      settle({ status: null, error: ABORTED, responseBody: null });
      request.destroy();
    };
    opts.signal.addEventListener('abort', onAbort);
    request.on('error', (err: NodeJS.ErrnoException) => settle({ status: null, error: err.code ? `${err.code}: ${err.message}` : err.message, responseBody: null }));
    request.on('response', (response) => {
      let excerpt = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (excerpt.length < RESPONSE_EXCERPT) excerpt += chunk.slice(0, RESPONSE_EXCERPT - excerpt.length);
      });
      response.on('end', () => settle({ status: response.statusCode ?? null, error: null, responseBody: excerpt }));
      response.on('error', (err) => settle({ status: null, error: err.message, responseBody: null }));
    });
    request.end(bytes);
  });
}

export const ABORTED = 'aborted: the server closed or the state was replaced';
