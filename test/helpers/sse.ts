// Server-sent events for the tests: a parser of the wire format, and a client that reads a stream
// over a real socket as it arrives (light-my-request only returns a response once it has ended).
import http from 'node:http';

export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** Parses an event-stream body: events (default name "message") and comment lines. */
export function parseSse(text: string): { events: SseEvent[]; comments: string[]; retry?: number } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  let retry: number | undefined;
  for (const block of text.split('\n\n')) {
    if (block.trim() === '') continue;
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let isEvent = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) comments.push(line.slice(1).trim());
      else if (line.startsWith('retry: ')) retry = Number(line.slice(7));
      else {
        const colon = line.indexOf(':');
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        isEvent = true;
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
    }
    if (isEvent) events.push({ ...event, data: data.join('\n') });
  }
  return { events, comments, ...(retry !== undefined && { retry }) };
}

export interface OpenStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Everything received so far. */
  text(): string;
  events(): SseEvent[];
  /** Resolves once `test` holds for what was received (rejects after `timeoutMs`). */
  until(test: (received: { events: SseEvent[]; comments: string[] }) => boolean, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the response: 'end' when it ended cleanly, 'aborted' when the connection was cut. */
  closed: Promise<'end' | 'aborted'>;
  close(): void;
}

/** Opens GET `url` and reads it as it arrives. */
export function openStream(url: string, headers: Record<string, string> = {}): Promise<OpenStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      let text = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        for (const w of [...waiters]) w();
      });
      const closed = new Promise<'end' | 'aborted'>((done) => {
        res.on('end', () => done('end'));
        res.on('aborted', () => done('aborted'));
        res.on('error', () => done('aborted'));
      });
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        text: () => text,
        events: () => parseSse(text).events,
        until(test, timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const check = () => {
              const parsed = parseSse(text);
              if (!test(parsed)) return;
              clearTimeout(timer);
              waiters.delete(check);
              ok();
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`stream did not get there in ${timeoutMs} ms; received:\n${text.slice(-2000)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        closed,
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
  });
}
