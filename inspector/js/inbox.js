// The inbox: the project's conversations (newest active first, searchable by name or number,
// filtered by status), the open conversation as a chat, the customer's phone under it (everything
// it sends goes through POST /__admin/simulate/inbound-message), actions on the business's
// messages (delivered, read, failed), the contact and the agents panel beside it.
import { admin } from './api.js';
import { agentsPanel } from './agents.js';
import { daySeparator, renderMessage, withReactions, FAILURES } from './chat.js';
import { debounce, h, icon, initials, listTime, nodeCache, reconcile, replace } from './dom.js';

const PAGE = 50;
const MESSAGES_PAGE = 100;
/** The sample photo the customer's phone sends: served by the mock itself, so its preview needs nothing from the internet. */
const SAMPLE_IMAGE = '/__inspector/samples/photo.png';
const SAMPLE_PLACE = { latitude: 40.7484, longitude: -73.9857, location_name: 'Empire State Building', location_address: '20 W 34th St, New York, NY 10001' };
const WINDOW_MS = 24 * 60 * 60 * 1000;

export function inboxView(ctx) {
  let conversationId;
  let conversation;
  let search = '';
  let status = '';
  let pages = 1;
  let messagePages = 1;
  let listGeneration = 0;
  let chatGeneration = 0;
  let agents;
  const listNodes = nodeCache();
  const messageNodes = nodeCache();

  // ---- the conversation list ----------------------------------------------------------------
  const searchInput = h('input', {
    type: 'search', id: 'conversation-search', placeholder: 'Search by name or number', autocomplete: 'off',
    oninput: debounce(() => {
      search = searchInput.value.trim();
      pages = 1;
      loadList();
    }, 200),
  });
  const statusSelect = h('select', {
    id: 'conversation-status',
    onchange: () => {
      status = statusSelect.value;
      pages = 1;
      loadList();
    },
  }, h('option', { value: '' }, 'All'), h('option', { value: 'active' }, 'Active'), h('option', { value: 'ended' }, 'Ended'));
  const list = h('ul', { class: 'conversations', 'aria-label': 'Conversations' });
  const listNote = h('p', { class: 'muted center', role: 'status' });
  const more = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => { pages += 1; loadList(); } }, 'Load more conversations');
  const listSection = h('section', { class: 'list-pane', 'aria-label': 'Conversation list' },
    h('div', { class: 'list-tools' },
      h('label', { class: 'sr-only', for: 'conversation-search' }, 'Search conversations by contact name or phone number'), searchInput,
      h('label', { class: 'sr-only', for: 'conversation-status' }, 'Conversation status'), statusSelect,
      h('button', { type: 'button', class: 'primary', onclick: () => openNewConversation() }, 'New conversation')),
    list, listNote, more);

  const conversationItem = (c) => {
    const name = c.contact_name ?? c.phone_number;
    const last = c.last_message;
    const preview = last ? `${last.direction === 'outbound' ? '↪ ' : ''}${last.content || `[${last.message_type}]`}` : 'No messages';
    return h('li', null, h('a', {
      class: 'conversation', href: `#/inbox/${ctx.projectId}/${c.id}`, dataset: { id: c.id },
      'aria-label': `${name}, ${c.status}${c.unread_count ? `, ${c.unread_count} unread` : ''}: ${preview}`,
    },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.contact_name, c.phone_number)),
    h('span', { class: 'conv-main' },
      h('span', { class: 'conv-top' }, h('span', { class: 'conv-name' }, name), h('time', { datetime: c.last_active_at }, listTime(c.last_active_at, ctx.now()))),
      h('span', { class: 'conv-bottom' },
        h('span', { class: 'conv-preview' }, preview),
        c.status === 'ended' ? h('span', { class: 'badge ended' }, 'ended') : null,
        c.unread_count ? h('span', { class: 'unread', title: 'Inbound messages not marked read' }, String(c.unread_count)) : null))));
  };

  async function loadList() {
    const mine = ++listGeneration;
    const projectId = ctx.projectId;
    if (!projectId) return;
    const params = { per_page: PAGE, 'q[status_eq]': status, 'q[contact_name_or_phone_number_cont]': search };
    const answers = await ctx.run(() => Promise.all(Array.from({ length: pages }, (_, i) => admin.conversations(projectId, { ...params, page: i + 1 }))));
    if (mine !== listGeneration || !answers) return;
    const rows = answers.flatMap((a) => a.data);
    const total = answers[0]?.meta.total_count ?? 0;
    const nodes = listNodes(rows, (c) => c.id, (c) => JSON.stringify(c), conversationItem);
    reconcile(list, nodes);
    markCurrent();
    listNote.textContent = rows.length === 0 ? (search || status ? 'No conversation matches.' : 'No conversations yet: start one as a customer.') : '';
    more.hidden = rows.length >= total;
  }

  const markCurrent = () => {
    for (const a of list.querySelectorAll('a.conversation')) {
      if (a.dataset.id === conversationId) a.setAttribute('aria-current', 'true');
      else a.removeAttribute('aria-current');
    }
  };

  // ---- the chat ------------------------------------------------------------------------------
  const chatHeader = h('header', { class: 'chat-header' });
  const messagesList = h('ol', { class: 'messages', role: 'log', 'aria-label': 'Messages', 'aria-live': 'polite' });
  const older = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => { messagePages += 1; loadChat(); } }, 'Load older messages');
  const scroller = h('div', { class: 'scroller' }, older, messagesList);
  // Kept at the newest message while the person is there, also when an image above it finishes loading.
  let stick = true;
  const nearBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
  const toBottom = () => {
    scroller.scrollTop = scroller.scrollHeight;
  };
  scroller.addEventListener('scroll', () => (stick = nearBottom()));
  scroller.addEventListener('load', () => stick && toBottom(), true);
  const compose = h('input', { id: 'compose', type: 'text', autocomplete: 'off', placeholder: 'Type a message as the customer', maxlength: 4096 });
  const phoneLabel = h('span', { class: 'phone-label' });
  const phone = h('form', {
    class: 'phone', 'aria-label': "The customer's phone",
    onsubmit: (event) => {
      event.preventDefault();
      const text = compose.value.trim();
      if (text === '') return;
      sendAsCustomer({ content: text }).then((ok) => ok && (compose.value = ''));
    },
  },
  phoneLabel,
  h('div', { class: 'phone-row' },
    h('button', { type: 'button', class: 'icon', 'aria-label': 'Send a photo as the customer', title: 'Send a photo (the caption is the text typed)', onclick: () => sendImage() }, icon('camera')),
    h('button', { type: 'button', class: 'icon', 'aria-label': 'Send a location as the customer', title: 'Send a location (its name is the text typed)', onclick: () => sendLocation() }, icon('pin')),
    h('label', { class: 'sr-only', for: 'compose' }, 'Message as the customer'), compose,
    h('button', { type: 'submit', class: 'send primary' }, 'Send')));
  // The phone works once its conversation is drawn: a message typed and sent before that (a fast
  // hand, a test right after a navigation) would have had nowhere to go and was silently kept.
  const phoneReady = (ready) => {
    for (const control of phone.elements) control.disabled = !ready;
  };
  phoneReady(false);
  const details = h('aside', { class: 'details', 'aria-label': 'Conversation details' });
  const empty = h('div', { class: 'chat-empty' }, h('p', null, 'Pick a conversation on the left, or start one as a customer.'));
  const chatSection = h('section', { class: 'chat-pane', 'aria-label': 'Chat' }, chatHeader, scroller, phone);

  const element = h('div', { class: 'inbox', dataset: { open: 'false', info: 'closed' } }, listSection, empty, chatSection, details);

  const configName = (id) => ctx.configs.find((c) => c.id === id)?.name ?? id;

  function windowLine(c) {
    if (!c.last_inbound_at) return 'The customer never wrote: templates only';
    const until = Date.parse(c.last_inbound_at) + WINDOW_MS;
    return until > ctx.now()
      ? `24-hour window open until ${new Date(until).toLocaleString(undefined, { weekday: 'short', hour: '2-digit', minute: '2-digit' })}`
      : 'Window closed: templates only';
  }

  function renderHeader(c) {
    const name = c.contact_name ?? c.phone_number;
    chatHeader.replaceChildren(
      h('button', { type: 'button', class: 'back icon', 'aria-label': 'Back to the conversations', onclick: () => ctx.go('inbox') }, icon('back')),
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(c.contact_name, c.phone_number)),
      h('div', { class: 'chat-title' },
        h('h2', { id: 'chat-title', tabindex: '-1' }, name),
        h('small', null, `${c.phone_number} · ${configName(c.whatsapp_config_id)} · `, h('span', { class: ['badge', c.status] }, c.status)),
        h('small', { class: 'window' }, windowLine(c))),
      h('div', { class: 'button-row' },
        c.status === 'active' ? h('button', { type: 'button', class: 'small', onclick: () => endConversation() },
          h('span', { class: 'wide-only' }, 'End conversation'), h('span', { class: 'narrow-only' }, 'End')) : null,
        h('button', {
          type: 'button', class: 'small info-toggle', 'aria-expanded': String(element.dataset.info === 'open'),
          onclick: (event) => {
            element.dataset.info = element.dataset.info === 'open' ? 'closed' : 'open';
            event.currentTarget.setAttribute('aria-expanded', String(element.dataset.info === 'open'));
          },
        }, 'Info')));
    phoneLabel.textContent = `The customer's phone: writing as ${name} (${c.phone_number}) to ${configName(c.whatsapp_config_id)}${c.status === 'ended' ? '; a new message opens a new conversation' : ''}`;
  }

  async function renderDetails(c) {
    const digits = c.phone_number.replace(/\D/g, '');
    const answer = await ctx.run(() => admin.contacts(ctx.projectId, { 'q[wa_id_cont]': digits, per_page: 100 }));
    if (!answer || conversation?.id !== c.id) return;
    const contact = answer.data.find((x) => x.wa_id === digits);
    const row = (label, value) => value === undefined || value === null ? null : [h('dt', null, label), h('dd', null, value)];
    replace(details, 
      h('section', { class: 'panel' },
        h('h3', null, 'Contact'),
        contact ? h('dl', null,
          row('Name', contact.profile_name ?? '(none)'), row('WhatsApp ID', contact.wa_id), row('Contact ID', h('code', null, contact.id)),
          row('Customer', contact.customer_id ? h('code', null, contact.customer_id) : 'none'),
          Object.keys(contact.metadata ?? {}).length ? row('Metadata', h('code', null, JSON.stringify(contact.metadata))) : null)
          : h('p', { class: 'muted' }, 'No contact record for this number.')),
      h('section', { class: 'panel' },
        h('h3', null, 'Conversation'),
        h('dl', null,
          row('ID', h('code', null, c.id)), row('Config', `${configName(c.whatsapp_config_id)}`), row('Config ID', h('code', null, c.whatsapp_config_id)),
          row('Started', new Date(c.created_at).toLocaleString()),
          row('Last inbound', c.last_inbound_at ? new Date(c.last_inbound_at).toLocaleString() : 'never'),
          row('Last outbound', c.last_outbound_at ? new Date(c.last_outbound_at).toLocaleString() : 'never'),
          c.ended_at ? row('Ended', new Date(c.ended_at).toLocaleString()) : null)),
      agents?.element);
  }

  /** @param {{ scroll?: boolean }} [options] scroll: to the newest message whatever the position */
  // Draws the open conversation; resolves with whether it still exists (the agents panel reads it only then).
  async function loadChat({ scroll } = {}) {
    const mine = ++chatGeneration;
    const id = conversationId;
    const projectId = ctx.projectId;
    if (!id) return false;
    const answers = await ctx.run(async () => {
      // Asked through the list's ID filter, so a conversation a reset or a restore took away is an
      // empty answer rather than a 404 (which the browser would log as an error).
      const { data: [found] } = await admin.conversations(projectId, { 'q[id_eq]': id });
      if (!found) return 'gone';
      const pagesOfMessages = await Promise.all(Array.from({ length: messagePages }, (_, i) => admin.messages(projectId, id, { per_page: MESSAGES_PAGE, page: i + 1 })))
        // Taken away between the two requests (a reset or a restore by another tool): gone all the same.
        .catch((err) => { if (err.status === 404) return undefined; throw err; });
      if (!pagesOfMessages) return 'gone';
      return [{ data: found }, ...pagesOfMessages];
    });
    if (!answers) return false;
    if (mine !== chatGeneration || id !== conversationId) return answers !== 'gone' && id === conversationId;
    if (answers === 'gone') {
      ctx.toast('That conversation does not exist (any more): the state was reset or restored, or the project changed.', 'error');
      ctx.go('inbox');
      return false;
    }
    const [{ data: c }, ...pagesOfMessages] = answers;
    const firstLoad = conversation?.id !== c.id;
    conversation = c;
    phoneReady(true);
    // Redrawn only when it changes, so a focused button in it keeps its focus.
    const header = `${JSON.stringify(c)}|${windowLine(c)}|${configName(c.whatsapp_config_id)}`;
    if (header !== chatHeader.dataset.version) {
      chatHeader.dataset.version = header;
      renderHeader(c);
    }
    if (firstLoad || JSON.stringify(c) !== details.dataset.version) {
      details.dataset.version = JSON.stringify(c);
      renderDetails(c);
    }
    const messages = pagesOfMessages.flatMap((p) => p.data).reverse();
    older.hidden = messages.length >= (pagesOfMessages[0]?.meta.total_count ?? 0);
    const { shown, reactions } = withReactions(messages);
    const items = [];
    let day;
    for (const m of shown) {
      const label = new Date(m.created_at).toDateString();
      if (label !== day) {
        day = label;
        items.push({ kind: 'day', id: `day-${label}`, at: m.created_at });
      }
      items.push({ kind: 'message', id: m.id, m, reactions: reactions.get(m.id) ?? [] });
    }
    const nodes = messageNodes(items, (i) => i.id,
      (i) => (i.kind === 'day' ? i.at.slice(0, 10) : `${i.m.updated_at}|${i.m.status}|${i.reactions.map((r) => r.id).join(',')}`),
      (i) => (i.kind === 'day' ? daySeparator(i.at, ctx.now()) : renderMessage(i.m, {
        reactions: i.reactions, act: (kind, arg) => act(i.m, kind, arg), reply: (option, type) => reply(option, type),
      })));
    reconcile(messagesList, nodes);
    if (messages.length === 0) messagesList.replaceChildren(h('li', { class: 'day' }, h('span', null, 'No messages yet')));
    if (firstLoad || scroll) stick = true;
    if (stick) toBottom();
    return true;
  }

  // ---- what the customer and the control plane do -------------------------------------------
  async function sendAsCustomer(fields) {
    const c = conversation;
    if (!c) return false;
    const answer = await ctx.run(() => admin.inbound({
      project_id: ctx.projectId, phone_number: c.phone_number, whatsapp_config_id: c.whatsapp_config_id, ...fields,
    }));
    if (!answer) return false;
    if (answer.data.is_new_conversation) {
      ctx.toast('The conversation had ended: the message opened a new one.');
      ctx.go('inbox', answer.data.conversation.id);
    } else {
      loadChat({ scroll: true });
    }
    return true;
  }

  const sendImage = () => {
    const caption = compose.value.trim();
    return sendAsCustomer({ message_type: 'image', media_url: new URL(SAMPLE_IMAGE, location.href).href, mime_type: 'image/png', ...(caption ? { caption } : {}) })
      .then((ok) => ok && (compose.value = ''));
  };
  const sendLocation = () => {
    const name = compose.value.trim();
    return sendAsCustomer({ message_type: 'location', ...SAMPLE_PLACE, ...(name ? { location_name: name, location_address: undefined } : {}) })
      .then((ok) => ok && (compose.value = ''));
  };
  const reply = (option, type) => sendAsCustomer({ message_type: 'interactive', interactive_type: type, reply_option_id: option.id, reply_option_title: option.title });

  async function act(m, kind, arg) {
    if (kind === 'react') return sendAsCustomer({ message_type: 'reaction', reaction_emoji: arg, reacted_to_message_id: m.whatsapp_message_id });
    const failure = kind === 'failed' ? FAILURES.find((f) => f.code === arg) : undefined;
    const answer = await ctx.run(() => admin.messageStatus(m.id, { project_id: ctx.projectId, status: kind, ...(failure ? { error: failure } : {}) }), `Marked ${kind}`);
    if (answer) loadChat();
  }

  async function endConversation() {
    const answer = await ctx.run(() => admin.endConversation(conversationId, ctx.projectId), 'Conversation ended');
    if (answer) {
      loadChat();
      loadList();
    }
  }

  // ---- a new conversation --------------------------------------------------------------------
  function openNewConversation() {
    const number = h('input', { id: 'new-phone', type: 'tel', required: true, placeholder: '+1 555 010 9999', autocomplete: 'off' });
    const name = h('input', { id: 'new-name', type: 'text', placeholder: 'Rosa Diaz', autocomplete: 'off' });
    const config = h('select', { id: 'new-config' }, ctx.configs.map((c) => h('option', { value: c.id }, `${c.name} (${c.display_phone_number ?? c.phone_number_id ?? c.id})`)));
    const text = h('textarea', { id: 'new-text', required: true, rows: 3 }, 'Hi! I have a question about my order.');
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': 'new-title', onclose: () => dialog.remove() },
      h('form', {
        onsubmit: async (event) => {
          event.preventDefault();
          try {
            const { data } = await admin.inbound({
              project_id: ctx.projectId, phone_number: number.value, whatsapp_config_id: config.value || undefined,
              ...(name.value.trim() ? { contact_name: name.value.trim() } : {}), content: text.value,
            });
            dialog.close();
            ctx.toast(data.is_new_conversation ? 'Conversation started' : 'The number already had an active conversation: the message went there');
            ctx.go('inbox', data.conversation.id);
          } catch (err) {
            error.textContent = err.message;
            error.hidden = false;
          }
        },
      },
      h('h2', { id: 'new-title' }, 'New conversation'),
      h('p', { class: 'muted' }, 'A WhatsApp user writes to one of the project\'s numbers, through the inbound simulation.'),
      h('label', { for: 'new-phone' }, 'Phone number'), number,
      h('label', { for: 'new-name' }, 'Contact name (WhatsApp profile name)'), name,
      h('label', { for: 'new-config' }, 'To the WhatsApp number'), config,
      h('label', { for: 'new-text' }, 'First message'), text,
      error,
      h('div', { class: 'button-row end' },
        h('button', { type: 'button', onclick: () => dialog.close() }, 'Cancel'),
        h('button', { type: 'submit', class: 'primary' }, 'Send as the customer'))));
    document.body.append(dialog);
    dialog.showModal();
    number.focus();
  }

  // ---- the view ------------------------------------------------------------------------------
  const refreshList = debounce(() => loadList(), 40);
  const refreshChat = debounce(() => loadChat(), 40);

  return {
    element,
    async show([id]) {
      const changed = id !== conversationId;
      const previous = conversationId;
      // Opened from the list (keyboard or pointer): focus then goes to the chat, as it would to a new page.
      const fromInbox = element.contains(document.activeElement);
      conversationId = id;
      element.dataset.open = String(Boolean(id));
      empty.hidden = Boolean(id);
      chatSection.hidden = !id;
      details.hidden = !id;
      if (changed) {
        conversation = undefined;
        phoneReady(false);
        messagePages = 1;
        messagesList.replaceChildren();
        chatHeader.replaceChildren();
        delete chatHeader.dataset.version;
        details.replaceChildren();
        delete details.dataset.version;
        agents = id ? agentsPanel(ctx, id) : undefined;
      }
      const loads = [loadList()];
      // The agents after the chat: a conversation a reset took away is not asked for (its 404 would be a console error).
      if (id) loads.push(loadChat().then((found) => (found ? agents?.refresh() : undefined)));
      await Promise.all(loads);
      if (changed && id && fromInbox) document.getElementById('chat-title')?.focus({ preventScroll: true });
      // Back from a chat: focus returns to the conversation it was.
      if (changed && !id && previous) list.querySelector(`a[data-id="${CSS.escape(previous)}"]`)?.focus({ preventScroll: true });
    },
    async refresh() {
      await Promise.all([loadList(), conversationId ? loadChat().then((found) => (found ? agents?.refresh() : undefined)) : undefined]);
    },
    onEvent(name, event) {
      if (name === 'control.changed') {
        if (event.operation_id === 'adminSetClock' || event.operation_id === 'adminResetClock') {
          refreshList();
          refreshChat();
        }
        return;
      }
      if (!event || (event.project_id !== ctx.projectId && event.project_id !== '*')) return;
      if (name.startsWith('agent_execution.')) {
        if (event.data?.conversation_id === conversationId) agents?.refresh();
        return;
      }
      // Running and paused are record.updated of the execution, which does not name its conversation.
      if (name === 'record.updated' && event.data?.type === 'agent_execution') {
        if (agents?.has(event.data.id)) agents.refresh();
        return;
      }
      const inbox = name.startsWith('whatsapp.') || (name.startsWith('record.') && /^whatsapp_(message|conversation|contact)/.test(event.data?.type ?? ''));
      if (!inbox) return;
      refreshList();
      if (conversationId && (event.data?.conversation_id === undefined || event.data.conversation_id === conversationId)) refreshChat();
    },
    unmount() {
      listGeneration++;
      chatGeneration++;
    },
  };
}
