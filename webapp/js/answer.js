// One answer as the page lives it: the request's events in, its rendering out, the
// reports back to the server. Each answer keeps its own state, so a late event or
// error from a finished answer can never touch the next one.
import { HttpError } from './stream.js';
import { metricsFromDone } from './format.js';
import { announce, getJson, postAction } from './api.js';
import { createDeliveryCheck } from './delivery.js';
import { Position } from './resume.js';

const STATS_INTERVAL_MS = 100;
const RENDER_TIMEOUT_MS = 5000;
const LOST = 'connection lost — the answer is incomplete';
const RESUME_REFUSED = {
  404: 'The answer could not be resumed: the server no longer has it. The text so far is kept.',
  400: 'The answer could not be resumed (the page asked for a position the server does not know). The text so far is kept.',
};
const GAVE_UP = 'The connection was lost and could not be restored within 2 minutes. The text so far is kept.';

export class Answer {
  /**
   * @param {object} options
   * @param {string} options.kind 'question', 'edit', 'regenerate', 'continue', or 'resume' (an answer this page did
   *   not ask for: found streaming when the page loaded)
   * @param {string|null} [options.text] what the visitor sent (null for regenerate, continue and resume)
   * @param {HTMLElement[]} [options.replaces] elements the server will mark replaced (hidden meanwhile)
   * @param {HTMLElement|null} [options.resumes] for 'resume': the server-rendered answer, its text so far
   * @param {import('./view.js').MessageList} options.messages
   * @param {{started(answer: Answer, data: object): void, ended(answer: Answer): void}} options.page
   */
  constructor({ kind, text = null, replaces = [], resumes = null, messages, page }) {
    Object.assign(this, { kind, text, replaces, messages, page });
    for (const el of replaces) el.hidden = true;
    this.controller = new AbortController();
    this.delivery = createDeliveryCheck();
    if (resumes) {
      // Its position comes from the server (data-shown), which counted the stored text before the HTML parser
      // could normalize a CR in it; the rendered text and reasoning carry on in a live view.
      const [reasoning, shown] = (resumes.dataset.shown ?? '0.0').split('.').map(Number);
      this.user = null;
      this.view = messages.resumeAssistant(resumes);
      this.shown = new Position(reasoning, shown);
      this.view.el.dataset.resumedFrom = this.shown.toString();
      this.messageId = resumes.dataset.messageId;
      this.started = true;
    } else {
      this.user = kind === 'regenerate' ? null : messages.addUser(text, kind === 'continue' ? 'continue' : null);
      this.view = messages.addAssistant();
      this.shown = new Position();
      this.messageId = null;
      this.started = false;
    }
    /** Only the page that asked reports the answer's first paint and delivery lag; a resumed view saw a part. */
    this.reports = !resumes;
    this.catchingUp = false;
    this.terminal = false;
    this.finished = false;
    this.stopRequested = false;
    this.sentAt = performance.now();
    this.firstTokenAt = null;
    this.clientTtftMs = null;
    this.tokens = 0;
    this.stopTimer = 0;
    this.statsTimer = setInterval(() => this.updateLiveStats(), STATS_INTERVAL_MS);
    this.updateLiveStats();
  }

  updateLiveStats() {
    this.view.liveStats({
      tokens: this.tokens,
      elapsedMs: performance.now() - this.sentAt,
      firstTokenMs: this.firstTokenAt == null ? null : this.firstTokenAt - this.sentAt,
    });
  }

  onEvent(event) {
    if (this.finished || this.terminal) return;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      console.warn('ignoring a malformed event', event.type);
      return;
    }
    switch (event.type) {
      case 'start':
        this.onStart(data);
        break;
      case 'token':
        if (typeof data.text !== 'string') return;
        this.shown.add(event.type, data);
        this.tokens += 1;
        this.firstTokenAt ??= performance.now();
        // A resume's first token is the missed text in one piece: its lag says nothing about buffering.
        if (!this.catchingUp) this.delivery.onToken(data.t, Date.now());
        this.catchingUp = false;
        this.view.append(data.text);
        break;
      case 'reasoning':
        this.shown.add(event.type, data);
        if (typeof data.text === 'string') this.view.reason(data.text);
        break;
      case 'done':
        this.settle({ status: data.endReason || 'completed', metrics: metricsFromDone(data), thinkingMs: data.thinkingMs });
        break;
      case 'error':
        // An error carries the same figures as `done` (what was streamed still counts).
        this.settle({ status: 'error', endReason: data.endReason, metrics: metricsFromDone(data), error: data.message || 'The answer failed.',
          thinkingMs: data.thinkingMs });
        break;
      default:
        // Unknown event types are ignored, like unknown SSE fields.
    }
  }

  onStart(data) {
    this.started = true;
    this.messageId = data.messageId ?? null;
    this.user?.sent(data.userMessageId);
    for (const el of this.replaces) el.remove(); // the server has marked them replaced
    this.view.started(data);
    this.view.onFirstPaint = (paintedAt) => {
      // The end of the latency chain: from the Send key to the first token on screen.
      this.clientTtftMs = Math.round(paintedAt - this.sentAt);
      if (this.messageId) postAction(`api/messages/${this.messageId}/paint`, { ttftMs: this.clientTtftMs }).catch(() => {});
    };
    this.page.started(this, data);
  }

  /** A terminal event arrived: report delivery, fetch the final rendering, then show the end all at once. */
  async settle(end) {
    if (this.terminal || this.finished) return;
    this.terminal = true;
    clearTimeout(this.stopTimer);
    const delivery = this.delivery.result();
    if (this.messageId) {
      if (delivery.events > 0 && this.reports) {
        postAction(`api/messages/${this.messageId}/delivery`,
          { maxLagMs: delivery.maxLagMs, bufferingSuspected: delivery.bufferingSuspected }).catch(() => {});
      }
      end.rendered = await fetchRendered(this.messageId);
    }
    if (end.metrics) Object.assign(end.metrics, { clientTtftMs: this.clientTtftMs, bufferingSuspected: delivery.bufferingSuspected });
    this.end(end);
  }

  /** Renders the end of the answer once; later endings are ignored. */
  end(end) {
    if (this.finished) return;
    this.finished = true;
    delete this.view.el.dataset.connection;
    if (!end.metrics) this.updateLiveStats(); // keep the live numbers as the final word
    if (!this.started) this.user?.unconfirmed();
    this.view.finish(end);
    this.release();
  }

  // ---- What resume.js's follow() asks of an answer --------------------------------------------------------------

  /** A break now would be resumed: the stream started, nothing terminal came, Stop was not pressed. */
  resumable() {
    return this.started && Boolean(this.messageId) && !this.terminal && !this.finished && !this.stopRequested;
  }

  /** `<R>.<T>`: what this page has received of the answer, where a resume continues. */
  position() {
    return this.shown.toString();
  }

  /** Said in place and to screen readers once per break, not on every attempt. */
  reconnecting() {
    if (this.view.el.dataset.connection === 'reconnecting') return;
    this.view.el.dataset.connection = 'reconnecting';
    this.view.notice('Reconnecting…');
    announce('Connection lost. Reconnecting…');
  }

  /** A resume stream opened: what was missed comes first, then the answer live. */
  resumed() {
    this.catchingUp = true;
    if (this.view.el.dataset.connection !== 'reconnecting') return;
    delete this.view.el.dataset.connection;
    this.view.notice(this.stopRequested ? 'stopping…' : '');
    announce('Reconnected');
  }

  gaveUp() {
    this.end({ status: 'error', error: GAVE_UP });
  }

  /** The body ended: without `done` or `error` it never completed. */
  onBodyEnd() {
    if (this.terminal) return;
    // Stop was pressed and then the connection broke: what the visitor asked for happened.
    if (this.stopRequested) this.end({ status: 'user_stop', notice: 'stopped — the answer may be incomplete' });
    else this.end({ status: 'error', error: LOST });
  }

  onFailure(error) {
    if (this.finished || this.terminal) return;
    if (!this.started && error instanceof HttpError) {
      this.failBeforeStream(error.message);
    } else if (error instanceof HttpError) {
      // Only a resume fails with an HTTP status once the answer started.
      this.end({ status: 'error', error: RESUME_REFUSED[error.status] ?? `The answer could not be resumed: ${error.message}` });
    } else if (error?.name === 'AbortError' || this.stopRequested) {
      this.end({ status: 'user_stop', notice: this.started ? 'stopped — the answer may be incomplete' : 'stopped before the answer started' });
    } else if (!this.started) {
      this.failBeforeStream('could not reach the server. Check the connection and try again.');
    } else if (error?.reason === 'max-buffer-size-exceeded') {
      this.end({ status: 'error', error: 'The answer could not be read (an event was too large).' });
    } else {
      this.end({ status: 'error', error: LOST });
    }
  }

  /** Nothing was streamed: drop the empty answer, bring back what it was to replace, say why in place. */
  failBeforeStream(message) {
    this.finished = true;
    this.view.remove();
    for (const el of this.replaces) el.hidden = false;
    if (this.user && this.kind !== 'continue') {
      this.user.failed(message);
    } else {
      this.user?.el.remove();
      const note = document.createElement('p');
      note.className = 'error';
      note.setAttribute('role', 'alert');
      note.textContent = `Not done: ${message}`;
      (this.messages.current().at(-1) ?? this.messages.listEl).append(note);
    }
    this.release();
  }

  release() {
    clearInterval(this.statsTimer);
    clearTimeout(this.stopTimer);
    this.page.ended(this);
  }
}

/** The server's markdown rendering of a finished answer, or null (the streamed text then stays). */
async function fetchRendered(messageId) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), RENDER_TIMEOUT_MS);
  try {
    const m = await getJson(`api/messages/${encodeURIComponent(messageId)}`, { signal: controller.signal });
    return typeof m.html === 'string' ? { html: m.html, content: m.content } : null;
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
