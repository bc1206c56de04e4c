// The live stream: GET /__admin/events through EventSource, which reconnects by itself and sends
// Last-Event-ID so the mock replays what was missed (or says stream.resync when it cannot).

/** Every event name the mock's stream sends (docs/inspector.md "The event stream"). */
export const EVENT_NAMES = [
  'record.created', 'record.updated', 'record.deleted',
  'whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read', 'whatsapp.message.failed',
  'whatsapp.conversation.created', 'whatsapp.conversation.ended',
  'agent_execution.started', 'agent_execution.ended', 'agent_execution.failed', 'agent_execution.handoff',
  'webhook_delivery.created', 'webhook_delivery.attempted',
  'state.replaced', 'request.recorded', 'control.changed', 'stream.resync',
];

/**
 * Opens the stream; `onEvent(name, data)` for each event, `onStatus('live' | 'connecting' | 'offline')`
 * as the connection goes. `onOpen()` each time it (re)connects. Returns a function that closes it.
 */
export function connectLive({ onEvent, onStatus, onOpen }) {
  let source;
  let retry;
  let closed = false;
  const open = () => {
    source = new EventSource('/__admin/events');
    onStatus('connecting');
    source.addEventListener('open', () => {
      onStatus('live');
      onOpen();
    });
    source.addEventListener('error', () => {
      if (closed) return;
      if (source.readyState === EventSource.CLOSED) {
        // Refused (a 401 before the token form, or the server is gone): try again a little later.
        onStatus('offline');
        clearTimeout(retry);
        retry = setTimeout(open, 3000);
      } else {
        onStatus('connecting');
      }
    });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (event) => {
        let data;
        try {
          data = JSON.parse(event.data);
        } catch {
          data = event.data;
        }
        onEvent(name, data);
      });
    }
  };
  open();
  return () => {
    closed = true;
    clearTimeout(retry);
    source?.close();
  };
}
