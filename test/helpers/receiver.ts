// A real webhook receiver on 127.0.0.1 for the webhook tests: it records every request (raw body
// bytes included) and answers as the test says (a status, a delay, never, or a dropped connection).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived. */
  raw: Buffer;
  body: any;
}

/** What to do with a request: answer a status (and body), never answer, or drop the connection. */
export type Answer = number | { status: number; body?: string } | 'hang' | 'drop';

export interface Receiver {
  /** http://127.0.0.1:<port> */
  origin: string;
  /** A URL on the receiver (default path /hook). */
  url(path?: string): string;
  received: Received[];
  /** How the next requests are answered, in order; once used up, `otherwise` (default 200). */
  answers: Answer[];
  otherwise: Answer;
  /** Resolves when `count` requests have arrived in all (those already there count). */
  next(count: number, timeoutMs?: number): Promise<Received[]>;
  /**
   * A new test: nothing received, no answers queued, 200 otherwise, and every connection closed.
   * The mock keeps connections alive, so a delivery the last test had in flight when its state was
   * reset may already be on its way over one of them: closing them drops it before it is recorded.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Receiver = {
    origin: '',
    url: (path = '/hook') => `${receiver.origin}${path}`,
    received,
    answers: [],
    otherwise: 200,
    next(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received.slice(0, count));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the receiver got ${received.length} of ${count} requests within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({ count, resolve: () => { clearTimeout(timer); resolve(received.slice(0, count)); } });
      });
    },
    async reset() {
      server.closeAllConnections();
      received.length = 0;
      receiver.answers = [];
      receiver.otherwise = 200;
      // The mock's side sees the connections close before the test sends anything.
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body });
      for (const w of [...waiters]) {
        if (received.length >= w.count) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
      const answer = receiver.answers.shift() ?? receiver.otherwise;
      if (answer === 'hang') return;
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      const { status, body: text } = typeof answer === 'number' ? { status: answer, body: okText(answer) } : answer;
      res.writeHead(status, { 'content-type': 'text/plain' }).end(text ?? '');
    });
  });
  const okText = (code: number) => (code < 300 ? 'OK' : 'Nope');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
