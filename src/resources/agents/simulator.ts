// The simulated agent behind test chats and test runs. There is no language model in a mock:
// the agent walks its graph by the words of each message and answers from the node it reaches,
// so a reply is derived from the graph, the system prompt and the message, never empty, and the
// same inputs always give the same reply (docs/families/agents.md "The simulated agent").
//
// A turn:
//   1. Where to go. A global node whose global_condition shares words with the message wins;
//      otherwise the outgoing edge of the current node whose label, conditions and target node
//      share the most words with the message; otherwise the agent stays where it is. The first
//      message starts at the start node (the node with ID or name "start", else the first node
//      no edge leads to, else the first node).
//   2. What to say, by the node reached: `config.mock_reply` when the node has one, else a reply
//      made from the node (its prompt's first sentence, the knowledge-base sentence that best
//      matches the message, the webhook's mock response...), prefixed with `[<node name>]`.
// A test run plays a test case's script through the same turns and scores the replies against
// the rubric's criteria (words they share), on a 0-10 scale.
import type { AgentGraph, GraphEdge, GraphNode } from './schemas.js';

/** What the simulator needs of an agent or a snapshot. */
export interface SimulatedAgent {
  name: string;
  system_prompt: string | null;
  graph: AgentGraph;
}

export interface Turn {
  /** The ID of the node the agent is at after the turn (null: the graph has no nodes). */
  node: string | null;
  reply: string;
}

/** Only this much of a message is read: a mebibyte of text routes the same as its beginning. */
const READ_CHARS = 2000;

const STOP_WORDS = new Set(
  ('the and for are but not you your yours with this that these those from have has had was were will would shall should can could '
    + 'what when where which who whom why how all any each few more most other some such only own same than too very just into about '
    + 'over under again then once here there our ours they them their its it\'s i\'m i\'d she her his him out off also does did doing '
    + 'been being let lets may might must need now per via yes please user users agent agents asks ask says say')
    .split(' '),
);

/** A word reduced to what two spellings of it share: lowercase, crude English stemming, at most six letters. */
function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  return w.slice(0, 6);
}

/** The meaningful words of a text, stemmed. */
export function keywords(text: string | undefined | null): Set<string> {
  const out = new Set<string>();
  if (!text) return out;
  for (const word of text.slice(0, READ_CHARS).toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []) {
    const bare = word.replace(/^'+|'+$/g, '').replace(/'s$/, '');
    if (bare.length < 3 || STOP_WORDS.has(bare)) continue;
    out.add(stem(bare));
  }
  return out;
}

const overlap = (a: Set<string>, b: Set<string>): number => {
  let n = 0;
  for (const w of a) if (b.has(w)) n++;
  return n;
};

/** Every string inside a JSON value (edge conditions, a resume payload), in order. */
function strings(value: unknown, out: string[] = [], depth = 0): string[] {
  if (depth > 8 || out.length > 200) return out;
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out, depth + 1);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k.replace(/_/g, ' '));
      strings(v, out, depth + 1);
    }
  }
  return out;
}

/** Text quoted back in a reply: one line, cut short. */
export function clip(text: string, max = 80): string {
  const line = text.slice(0, max * 4).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

/** The first sentence of a prompt (at most 200 characters), or undefined when it is blank. */
function firstSentence(text: string | null | undefined): string | undefined {
  const t = (text ?? '').slice(0, 1000).replace(/\s+/g, ' ').trim();
  if (t === '') return undefined;
  const end = /[.!?](\s|$)/.exec(t);
  return clip(end ? t.slice(0, end.index + 1) : t, 200);
}

function sentences(text: string): string[] {
  return text.slice(0, 20_000).split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim()).filter((s) => s !== '');
}

/** The node a conversation starts at. */
export function startNode(graph: AgentGraph): GraphNode | undefined {
  const nodes = graph.nodes ?? [];
  const named = nodes.find((n) => n.id.toLowerCase() === 'start' || n.name.toLowerCase() === 'start');
  if (named) return named;
  const targets = new Set((graph.edges ?? []).filter((e) => e.from !== e.to).map((e) => e.to));
  return nodes.find((n) => !targets.has(n.id)) ?? nodes[0];
}

/** Where a message takes the agent from `current` (see the top of this file). */
function route(graph: AgentGraph, current: GraphNode | undefined, words: Set<string>, followFirstEdge: boolean): GraphNode | undefined {
  const nodes = graph.nodes ?? [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  let best: GraphNode | undefined;
  let bestScore = 0;
  for (const node of nodes) {
    if (!node.global || node.id === current?.id) continue;
    const score = overlap(words, keywords(node.global_condition ?? node.name));
    if (score > bestScore) [best, bestScore] = [node, score];
  }
  if (best) return best;
  if (!current) return undefined;
  const edges = (graph.edges ?? []).filter((e) => e.from === current.id && byId.has(e.to));
  const edgeWords = (e: GraphEdge) => {
    const target = byId.get(e.to)!;
    return keywords([e.label, ...strings(e.conditions), target.name, target.prompt?.slice(0, 500), target.global_condition].join(' '));
  };
  for (const edge of edges) {
    const score = overlap(words, edgeWords(edge));
    if (score > bestScore) [best, bestScore] = [byId.get(edge.to), score];
  }
  if (best) return best;
  if (followFirstEdge && edges.length > 0) return byId.get(edges[0]!.to);
  return current;
}

/** What the agent says at a node. */
function replyAt(agent: SimulatedAgent, node: GraphNode | undefined, message: string): string {
  const heard = message.trim() === '' ? '' : ` You said: "${clip(message)}".`;
  if (!node) return `${agent.name}: ${firstSentence(agent.system_prompt) ?? 'How can I help you today?'}${heard}`;
  const configured = node.config?.mock_reply;
  if (typeof configured === 'string' && configured.trim() !== '') return configured.replaceAll('{{message}}', clip(message));
  const tag = `[${clip(node.name, 60)}]`;
  switch (node.type) {
    case 'KnowledgeBaseNode': {
      const text = node.knowledge_base?.knowledge_base_text ?? '';
      const words = keywords(message);
      let found: string | undefined;
      let score = 0;
      for (const s of sentences(text)) {
        const n = overlap(words, keywords(s));
        if (found === undefined || n > score) [found, score] = [s, n];
      }
      return found === undefined
        ? `${tag} I found nothing in the knowledge base${node.knowledge_base?.key ? ` "${clip(node.knowledge_base.key, 40)}"` : ''} about that.`
        : `${tag} ${clip(found, 300)}`;
    }
    case 'WebhookNode': {
      const hook = node.webhook ?? {};
      const call = `${(hook.http_method ?? 'POST').toUpperCase()} ${hook.url ?? '(no URL)'}`;
      return hook.mock_response_enabled && hook.mock_response
        ? `${tag} ${clip(call, 120)} answered ${clip(JSON.stringify(hook.mock_response), 300)}`
        : `${tag} Called ${clip(call, 120)}.`;
    }
    case 'WhatsappTemplateNode': {
      const t = node.whatsapp_template ?? {};
      const name = t.name ?? t.whatsapp_template_id ?? node.name;
      return `${tag} Sent the WhatsApp template "${clip(name, 60)}"${t.phone_number ? ` to ${clip(t.phone_number, 30)}` : ''}.`;
    }
    case 'HandoffNode':
      return `${tag} ${firstSentence(node.prompt) ?? 'Transferring you to a human agent.'}`;
    case 'WarmEndNode': {
      const minutes = node.warm_end?.timeout_minutes;
      return `${tag} ${firstSentence(node.prompt) ?? 'Thanks for chatting with us!'}${minutes !== undefined ? ` (this chat closes after ${minutes} minutes without a reply)` : ''}`;
    }
    default:
      return `${tag} ${firstSentence(node.prompt) ?? firstSentence(agent.system_prompt) ?? 'How can I help you today?'}${heard}`;
  }
}

const nodeById = (graph: AgentGraph, id: string | null): GraphNode | undefined =>
  id === null ? undefined : (graph.nodes ?? []).find((n) => n.id === id);

/** The agent's answer to a user message, from the node it was at (null: the conversation's first message). */
export function respond(agent: SimulatedAgent, at: string | null, message: string): Turn {
  const current = nodeById(agent.graph, at) ?? startNode(agent.graph);
  const node = route(agent.graph, current, keywords(message), false);
  return { node: node?.id ?? null, reply: replyAt(agent, node, message) };
}

/**
 * The agent resumed with an optional payload: routed by the payload's words, else along the
 * current node's first edge (the flow goes on), else where it is.
 */
export function resume(agent: SimulatedAgent, at: string | null, payload: unknown): Turn {
  const current = nodeById(agent.graph, at) ?? startNode(agent.graph);
  const text = payload === undefined ? '' : strings(payload).join(' ');
  const node = route(agent.graph, current, keywords(text), true);
  return { node: node?.id ?? null, reply: replyAt(agent, node, text) };
}

/** The node a conversation is at after these user messages (fixtures replay them). */
export function replay(agent: SimulatedAgent, messages: readonly string[]): { turns: Turn[]; node: string | null } {
  let at: string | null = null;
  const turns = messages.map((m) => {
    const turn = respond(agent, at, m);
    at = turn.node;
    return turn;
  });
  return { turns, node: at };
}

// ---------------------------------------------------------------------------------------------
// Test runs

export interface Criterion {
  criterion: string;
  weight: number;
  met: boolean;
}

export interface TestOutcome {
  /** The user's and the agent's turns, in order. */
  messages: { role: 'user' | 'assistant'; content: string }[];
  /** The node each assistant turn came from. */
  nodes: (string | null)[];
  criteria: Criterion[];
  /** 0-10, one decimal. */
  score: number;
  feedback: string;
}

/**
 * The user's messages of a script: its quoted phrases when it has any ("Start with: "Hi""), else
 * each line (list markers removed); at most 20.
 */
export function scriptMessages(script: string): string[] {
  const text = script.slice(0, 20_000);
  const quoted = [...text.matchAll(/"([^"\n]+)"|\u201C([^\u201D\n]+)\u201D/g)].map((m) => (m[1] ?? m[2]!).trim()).filter((s) => s !== '');
  const lines = quoted.length > 0 ? quoted : text.split('\n').map((l) => l.replace(/^\s*(\d+[.)]|[-*\u2022])\s*/, '').trim()).filter((l) => l !== '');
  return (lines.length > 0 ? lines : [clip(script) || 'Hello']).slice(0, 20).map((l) => l.slice(0, READ_CHARS));
}

/**
 * The rubric's criteria: one per line (list markers removed), weighted by a "(25%)" when the line
 * has one (else 1); section headers (lines ending in ":") are skipped and a "Critical failures"
 * section ends the list.
 */
export function rubricCriteria(rubric: string): { criterion: string; weight: number }[] {
  const out: { criterion: string; weight: number }[] = [];
  for (const raw of rubric.slice(0, 20_000).split('\n')) {
    const line = raw.replace(/^\s*(\d+[.)]|[-*\u2022])\s*/, '').trim();
    if (/^critical failures?\b/i.test(line)) break;
    if (line === '' || line.endsWith(':')) continue;
    const pct = /\((\d+(?:\.\d+)?)\s*%\)/.exec(line);
    out.push({ criterion: line.replace(/\s*\(\d+(?:\.\d+)?\s*%\)\s*/, ' ').trim(), weight: pct ? Number(pct[1]) : 1 });
    if (out.length === 50) break;
  }
  return out.length > 0 ? out : [{ criterion: clip(rubric, 200) || 'The agent answers', weight: 1 }];
}

/** Plays the case's script through the agent and scores the replies against its rubric. */
export function runTestCase(agent: SimulatedAgent, testCase: { script: string; rubric: string }): TestOutcome {
  const users = scriptMessages(testCase.script);
  const { turns } = replay(agent, users);
  const messages = users.flatMap((content, i) => [
    { role: 'user' as const, content },
    { role: 'assistant' as const, content: turns[i]!.reply },
  ]);
  const said = keywords(turns.map((t) => t.reply).join(' '));
  const criteria = rubricCriteria(testCase.rubric).map(({ criterion, weight }) => {
    const want = keywords(criterion);
    return { criterion, weight, met: want.size === 0 || overlap(want, said) * 2 >= want.size };
  });
  const total = criteria.reduce((n, c) => n + c.weight, 0);
  const got = criteria.reduce((n, c) => n + (c.met ? c.weight : 0), 0);
  const score = total === 0 ? 10 : Math.round((100 * got) / total) / 10;
  const missed = criteria.filter((c) => !c.met);
  const feedback = `Met ${criteria.length - missed.length} of ${criteria.length} rubric criteria.`
    + (missed.length === 0 ? ' Every criterion was met.' : ` Missed: ${missed.slice(0, 5).map((c) => `"${clip(c.criterion)}"`).join('; ')}.`);
  return { messages, nodes: turns.map((t) => t.node), criteria, score, feedback };
}
