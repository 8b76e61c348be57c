// DOM rendering of the message list. While an answer streams, model text only ever
// becomes Text nodes (appendData), never HTML; the finished answer is replaced by the
// server's markdown rendering, which escapes raw HTML and defuses links and images
// (MarkdownRenderer, docs/security-checklist.md S9-S11) — the only HTML this page inserts.
import { endReasonNotice, finalStatsParts, liveStatsParts, BUFFERING_WARNING } from './format.js';
import { ThinkingSection } from './thinking.js';

const NEAR_BOTTOM_PX = 96;
/** A streaming answer is split into blocks of about this many characters, at line ends. */
export const SEGMENT_CHARS = 1500;

export function element(tag, className, text) {
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
  addUser(text, kind = null) {
    const message = new UserMessage(text, kind);
    this.add(message.el);
    return message;
  }

  /** @returns {AssistantMessage} */
  addAssistant() {
    const message = new AssistantMessage();
    this.add(message.el);
    return message;
  }

  /**
   * A live view in place of a server-rendered answer that is still streaming, holding its reasoning and text so far
   * (what the server stored at its last checkpoint).
   * @param {HTMLElement} el
   * @returns {AssistantMessage}
   */
  resumeAssistant(el) {
    const message = new AssistantMessage();
    message.reason(el.querySelector(':scope > .thinking .reasoning')?.textContent ?? '');
    message.append(el.querySelector(':scope > .text')?.textContent ?? '');
    message.started({ messageId: el.dataset.messageId });
    el.replaceWith(message.el);
    return message;
  }

  /** The messages now shown (not hidden as replaced), oldest first. */
  current() {
    return [...this.listEl.querySelectorAll(':scope > .message:not([hidden])')];
  }

  /** Messages that never reached the server: their text is back in the input. */
  removeFailed() {
    for (const el of this.listEl.querySelectorAll(':scope > .message[data-status="failed"]')) el.remove();
  }
}

export class UserMessage {
  constructor(text, kind = null) {
    this.el = messageElement('user', 'sending');
    if (kind) this.el.dataset.kind = kind;
    this.el.append(element('div', 'text', kind === 'continue' ? 'Continue the answer' : text));
  }

  sent(messageId) {
    this.el.dataset.status = 'sent';
    if (messageId) this.el.dataset.messageId = messageId;
  }

  /** The answer ended before the server confirmed it with `start`. */
  unconfirmed() {
    if (this.el.dataset.status === 'sending') this.el.dataset.status = 'unconfirmed';
  }

  /** Pre-stream failure: say why, in place; the text stays in the input. */
  failed(message) {
    this.el.dataset.status = 'failed';
    const error = element('p', 'error', `Not sent: ${message}`);
    error.setAttribute('role', 'alert');
    this.el.append(error);
  }
}

export class AssistantMessage {
  constructor() {
    this.el = messageElement('assistant', 'pending');
    // Screen readers wait for the whole answer instead of announcing every token.
    this.el.setAttribute('aria-busy', 'true');
    this.textEl = element('div', 'text');
    this.cursor = element('span', 'cursor');
    this.cursor.setAttribute('aria-hidden', 'true');
    this.newSegment();
    this.noticeEl = element('p', 'notice');
    this.noticeEl.hidden = true;
    this.statsEl = element('p', 'stats');
    this.statsEl.hidden = true;
    this.el.append(this.textEl, this.noticeEl, this.statsEl);
    this.pending = '';
    this.length = 0;
    this.frame = 0;
    /** @type {((paintedAt: number) => void) | null} called once, after the frame that showed the first text */
    this.onFirstPaint = null;
    /** @type {ThinkingSection | null} created by the first `reasoning` event */
    this.thinking = null;
  }

  /** A piece of the model's reasoning, shown as text in the "Thinking…" section. */
  reason(text) {
    if (!text) return;
    this.thinking ??= new ThinkingSection(this.textEl);
    this.thinking.append(text);
  }

  started({ messageId, model }) {
    this.el.dataset.status = 'streaming';
    if (messageId) this.el.dataset.messageId = messageId;
    if (model) this.el.dataset.model = model;
  }

  /** Starts a new block for the text that follows; the cursor moves along. */
  newSegment() {
    this.segment = element('span', 'seg');
    this.textNode = document.createTextNode('');
    this.segmentLength = 0;
    this.segment.append(this.textNode, this.cursor);
    this.textEl.append(this.segment);
  }

  /** Buffers token text; the DOM is written at most once per animation frame. */
  append(text) {
    if (!text) return;
    this.thinking?.fold();
    this.pending += text;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    if (!this.pending) return;
    const follow = isNearBottom();
    let text = this.pending;
    this.pending = '';
    const first = this.length === 0;
    this.length += text.length;
    // Past the segment size, close the block at the last line end: the blocks before it are never laid out again.
    if (this.segmentLength + text.length > SEGMENT_CHARS) {
      const cut = text.lastIndexOf('\n');
      if (cut >= 0) {
        this.textNode.appendData(text.slice(0, cut + 1));
        this.newSegment();
        text = text.slice(cut + 1);
      }
    }
    this.textNode.appendData(text);
    this.segmentLength += text.length;
    if (follow) scrollToBottom();
    if (first && this.onFirstPaint) {
      const report = this.onFirstPaint;
      this.onFirstPaint = null;
      // A task queued from the frame callback runs after that frame's style, layout and paint.
      setTimeout(() => report(performance.now()), 0);
    }
  }

  /** The streamed text as received (the flushed part). */
  streamedText() {
    return this.textEl.textContent;
  }

  notice(text) {
    this.noticeEl.textContent = text;
    this.noticeEl.hidden = !text;
  }

  liveStats(live) {
    this.thinking?.tick();
    renderStats(this.statsEl, liveStatsParts(live));
  }

  /**
   * Swaps the streamed plain text for the server's rendering in one step, without a jump: a page that followed the
   * stream stays at the bottom; otherwise the answer's top edge stays where the reader has it.
   * @param {{html: string, content: string}} rendered
   */
  showRendered({ html, content }) {
    const follow = isNearBottom();
    const topBefore = this.el.getBoundingClientRect().top;
    const fresh = element('div', 'text markdown');
    fresh.innerHTML = html; // sanitized on the server, see the header of this file
    const source = element('div', 'source');
    source.hidden = true;
    source.textContent = content;
    this.textEl.replaceWith(fresh, source);
    this.textEl = fresh;
    this.el.dataset.rendered = 'markdown';
    if (follow) {
      scrollToBottom();
    } else {
      // Keep the answer where the reader has it, whatever the new height.
      const moved = this.el.getBoundingClientRect().top - topBefore;
      if (Math.abs(moved) >= 1) window.scrollBy(0, moved);
    }
  }

  /**
   * Ends the answer: flushes pending text, removes the cursor, shows the final rendering when there is one, and
   * sets data-status (the endReason, or 'error') that tests and CSS key on.
   * @param {{status: string, endReason?: string, metrics?: object, error?: string, notice?: string, rendered?: {html: string, content: string}, thinkingMs?: number}} end
   */
  finish({ status, endReason, metrics, error, notice, rendered, thinkingMs }) {
    this.flush();
    this.thinking?.finish(thinkingMs);
    this.cursor.remove();
    const follow = isNearBottom();
    const empty = !this.length && !rendered?.content;
    if (rendered && rendered.html) this.showRendered(rendered);
    this.notice(notice ?? endReasonNotice(status));
    if (metrics) {
      const { parts, estimated } = finalStatsParts(metrics);
      renderStats(this.statsEl, parts, estimated);
      if (metrics.bufferingSuspected) this.statsEl.after(element('p', 'warning', BUFFERING_WARNING));
    }
    if (error) {
      const errorEl = element('p', 'error', error);
      errorEl.setAttribute('role', 'alert');
      this.statsEl.before(errorEl);
    }
    if (empty && !error) this.notice(notice ?? (endReasonNotice(status) || 'empty answer'));
    this.el.dataset.status = status;
    // An `error` keeps its endReason (upstream_cut, timeout…): it decides whether Continue is offered.
    if (endReason) this.el.dataset.endReason = endReason;
    this.el.setAttribute('aria-busy', 'false');
    if (follow) scrollToBottom();
  }

  remove() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.el.remove();
  }
}
