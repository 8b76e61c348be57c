// DOM rendering of the message list. Model text only ever becomes Text nodes
// (textContent / appendData), never HTML: it is untrusted (checklist S9-S11).
import { endReasonNotice, finalStatsParts, liveStatsParts } from './format.js';

const NEAR_BOTTOM_PX = 96;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text != null) el.textContent = text;
  return el;
}

/** Fills a `.stats` line with one span per part; CSS draws the separators. */
export function renderStats(statsEl, parts, estimated = false) {
  const spans = parts.map((part) => element('span', null, part));
  if (estimated) spans.push(element('span', 'estimated', '(estimated)'));
  statsEl.replaceChildren(...spans);
  statsEl.hidden = spans.length === 0;
}

function isNearBottom() {
  const root = document.scrollingElement ?? document.documentElement;
  return root.scrollHeight - root.scrollTop - root.clientHeight < NEAR_BOTTOM_PX;
}

function scrollToBottom() {
  const root = document.scrollingElement ?? document.documentElement;
  root.scrollTop = root.scrollHeight;
}

/** Same structure as a message rendered by chat.html. */
function messageElement(role, status) {
  const el = element('article', 'message');
  el.dataset.role = role;
  el.dataset.status = status;
  el.append(element('h2', 'who visually-hidden', role === 'user' ? 'You' : 'Assistant'));
  return el;
}

export class MessageList {
  /** @param {HTMLElement} listEl the #messages log */
  constructor(listEl) {
    this.listEl = listEl;
  }

  add(el) {
    const follow = isNearBottom();
    this.listEl.querySelector(':scope > .empty')?.remove();
    this.listEl.append(el);
    if (follow) scrollToBottom();
  }

  /** @returns {UserMessage} */
  addUser(text) {
    const message = new UserMessage(text);
    this.add(message.el);
    return message;
  }

  /** @returns {AssistantMessage} */
  addAssistant() {
    const message = new AssistantMessage();
    this.add(message.el);
    return message;
  }

  /** Messages that never reached the server: their text is back in the input. */
  removeFailed() {
    for (const el of this.listEl.querySelectorAll(':scope > .message[data-status="failed"]')) el.remove();
  }
}

export class UserMessage {
  constructor(text) {
    this.el = messageElement('user', 'sending');
    this.el.append(element('div', 'text', text));
  }

  sent() {
    this.el.dataset.status = 'sent';
  }

  /** The turn ended before the server confirmed it with `start`. */
  unconfirmed() {
    if (this.el.dataset.status === 'sending') this.el.dataset.status = 'unconfirmed';
  }

  /** Pre-stream failure: say why, in place; the text stays in the input. */
  failed(message) {
    this.el.dataset.status = 'failed';
    this.el.append(element('p', 'error', `Not sent: ${message}`));
    this.el.querySelector('.error').setAttribute('role', 'alert');
  }
}

export class AssistantMessage {
  constructor() {
    this.el = messageElement('assistant', 'pending');
    // Screen readers wait for the whole answer instead of announcing every token.
    this.el.setAttribute('aria-busy', 'true');
    this.textEl = element('div', 'text');
    this.textNode = document.createTextNode('');
    this.cursor = element('span', 'cursor');
    this.cursor.setAttribute('aria-hidden', 'true');
    this.textEl.append(this.textNode, this.cursor);
    this.noticeEl = element('p', 'notice');
    this.noticeEl.hidden = true;
    this.statsEl = element('p', 'stats');
    this.statsEl.hidden = true;
    this.el.append(this.textEl, this.noticeEl, this.statsEl);
    this.pending = '';
    this.frame = 0;
  }

  started({ messageId, model }) {
    this.el.dataset.status = 'streaming';
    if (messageId) this.el.dataset.messageId = messageId;
    if (model) this.el.dataset.model = model;
  }

  /** Buffers token text; the DOM is written at most once per animation frame. */
  append(text) {
    if (!text) return;
    this.pending += text;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.pending) return;
    const follow = isNearBottom();
    this.textNode.appendData(this.pending);
    this.pending = '';
    if (follow) scrollToBottom();
  }

  notice(text) {
    this.noticeEl.textContent = text;
    this.noticeEl.hidden = !text;
  }

  liveStats(live) {
    renderStats(this.statsEl, liveStatsParts(live));
  }

  /**
   * Ends the answer: flushes pending text, removes the cursor, and sets
   * data-status (the endReason, or 'error') that tests and CSS key on.
   * @param {{status: string, metrics?: object, error?: string, notice?: string}} end
   */
  finish({ status, metrics, error, notice }) {
    this.flush();
    this.cursor.remove();
    const follow = isNearBottom();
    this.notice(notice ?? endReasonNotice(status));
    if (metrics) {
      const { parts, estimated } = finalStatsParts(metrics);
      renderStats(this.statsEl, parts, estimated);
    }
    if (error) {
      const errorEl = element('p', 'error', error);
      errorEl.setAttribute('role', 'alert');
      this.statsEl.before(errorEl);
    }
    if (!this.textNode.data && !error) this.notice(notice ?? (endReasonNotice(status) || 'empty answer'));
    this.el.dataset.status = status;
    this.el.setAttribute('aria-busy', 'false');
    if (follow) scrollToBottom();
  }

  remove() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.el.remove();
  }
}
