// A small HTTP client for the process-level tests: it reports what happened on the wire
// (when the headers came, whether the body was complete, which socket error ended it)
// instead of throwing, so a test can classify every request of a load.
import http, { type IncomingHttpHeaders } from 'node:http';
import net from 'node:net';

export interface WireResult {
  method: string;
  path: string;
  /** ms timestamps (Date.now()). */
  sentAt: number;
  headersAt?: number;
  doneAt?: number;
  status?: number;
  headers?: IncomingHttpHeaders;
  raw?: string;
  /** True when the whole response body arrived (its length matched the headers). */
  complete: boolean;
  /** The socket error that ended the request, if any (ECONNRESET, ECONNREFUSED, 'socket hang up', 'aborted'...). */
  error?: string;
  /** The request went out on a kept-alive socket that had carried an earlier request. */
  reusedSocket: boolean;
  /** Every byte of the request had been handed to the socket when it ended. */
  written: boolean;
}

export interface SendOptions {
  headers?: Record<string, string>;
  body?: string;
  agent?: http.Agent | false;
  timeoutMs?: number;
}

export function send(base: string, method: string, path: string, opts: SendOptions = {}): Promise<WireResult> {
  const url = new URL(path, base);
  const result: WireResult = { method, path, sentAt: Date.now(), complete: false, reusedSocket: false, written: false };
  return new Promise((resolve) => {
    let settled = false;
    const done = (error?: string) => {
      if (settled) return;
      settled = true;
      if (error !== undefined) result.error = error;
      result.doneAt = Date.now();
      resolve(result);
    };
    const headers: Record<string, string | number> = { ...opts.headers };
    if (opts.body !== undefined) headers['content-length'] = Buffer.byteLength(opts.body);
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent: opts.agent ?? undefined },
      (res) => {
        result.headersAt = Date.now();
        result.status = res.statusCode;
        result.headers = res.headers;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('aborted', () => done('aborted'));
        res.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
        res.on('end', () => {
          result.raw = Buffer.concat(chunks).toString('utf8');
          result.complete = res.complete;
          done(res.complete ? undefined : 'incomplete body');
        });
      },
    );
    req.on('socket', () => {
      result.reusedSocket = req.reusedSocket;
    });
    req.on('finish', () => {
      result.written = true;
    });
    req.on('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    if (opts.timeoutMs) req.setTimeout(opts.timeoutMs, () => req.destroy(Object.assign(new Error('client timeout'), { code: 'CLIENT_TIMEOUT' })));
    req.end(opts.body);
  });
}

/** Sends raw bytes on a fresh socket and collects everything the server writes back until it closes (or `waitMs`). */
export function rawExchange(base: string, bytes: string | Buffer, waitMs = 3_000): Promise<{ response: string; closedBy: 'server' | 'timeout' | 'error' }> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = net.connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let finished = false;
    const finish = (closedBy: 'server' | 'timeout' | 'error') => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response: Buffer.concat(chunks).toString('latin1'), closedBy });
    };
    const timer = setTimeout(() => finish('timeout'), waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => finish('server'));
    socket.on('close', () => finish('server'));
    socket.on('error', () => finish('error'));
    socket.on('connect', () => socket.write(bytes));
  });
}

export interface RawResponse { status: number; headers: Record<string, string>; body: string }

/** Parses one raw HTTP/1.1 response into status, headers and body. */
export function parseRawResponse(text: string): RawResponse | undefined {
  return parseRawResponses(text)[0];
}

/** Parses pipelined raw HTTP/1.1 responses (bodies delimited by Content-Length; the last one may run to the end). */
export function parseRawResponses(text: string): RawResponse[] {
  const out: RawResponse[] = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf('\r\n\r\n');
    if (end < 0) break;
    const [statusLine, ...lines] = rest.slice(0, end).split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
    if (!Number.isFinite(status)) break;
    const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
    const length = headers['content-length'] === undefined ? rest.length - end - 4 : Number(headers['content-length']);
    out.push({ status, headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Percentile of a list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Prints a figure so it shows in vitest's output: "[robustness] label: value". */
export function figure(label: string, value: unknown): void {
  console.log(`[robustness] ${label}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
