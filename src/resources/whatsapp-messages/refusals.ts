// A refused send (SendRefused: the window, an agent in charge, a template that does not fit) is
// answered the way each send operation documents it: this wraps the send, as uniqueRules wraps writes.
import { SendRefused, type ApiError } from '../../errors.js';

export function answerRefusals<T>(send: () => T, answer: (refusal: SendRefused) => ApiError): T {
  try {
    return send();
  } catch (err) {
    if (err instanceof SendRefused) throw answer(err);
    throw err;
  }
}
