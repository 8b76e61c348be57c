// Entry point of the chat page: wires the composer to /api/chat and renders the
// answer as it streams. One turn streams at a time; each turn keeps its own state
// so a late event or error from a finished turn can never touch the next one.
// A turn is a new question, or a regenerate / edit / continue of the conversation's end.
import { postEventStream, HttpError } from './stream.js';
import { MessageList } from './view.js';
import { metricsFromDone } from './format.js';
import { announce, apiUrl, csrfHeaders, getJson, postAction } from './api.js';
import { createDeliveryCheck } from './delivery.js';
import { installActions, refreshActions, sourceOf } from './actions.js';
import { Sidebar } from './sidebar.js';

const STOP_GRACE_MS = 3000;
const STATS_INTERVAL_MS = 100;
const RENDER_TIMEOUT_MS = 5000;
const LOST = 'connection lost — the answer is incomplete';

const page = document.getElementById('chat');
const form = document.getElementById('composer');
const prompt = document.getElementById('prompt');
const sendButton = document.getElementById('send');
const stopButton = document.getElementById('stop');
const modelSelect = document.getElementById('model');
const editingBanner = document.getElementById('editing');
const titleEl = document.getElementById('chat-title');
const listEl = document.getElementById('messages');
const messages = new MessageList(listEl);

let conversationId = page.dataset.conversationId || null;
/** @type {object|null} the turn streaming now */
let current = null;
/** @type {HTMLElement|null} the user message being edited in the composer */
let editing = null;

const sidebar = new Sidebar({
  currentId: () => conversationId,
  onDeletedCurrent: () => location.assign(apiUrl('')),
  onRenamed: (id, title) => {
    if (id !== conversationId) return;
    titleEl.textContent = title;
    document.title = `${title} — ChatRelay`;
  },
});

function setStreaming(streaming) {
  document.body.dataset.streaming = String(streaming);
  sendButton.disabled = streaming;
  stopButton.hidden = !streaming;
  refreshActions(listEl, { busy: streaming });
}

function updateLiveStats(turn) {
  const now = performance.now();
  turn.answer.liveStats({
    tokens: turn.tokens,
    elapsedMs: now - turn.sentAt,
    firstTokenMs: turn.firstTokenAt == null ? null : turn.firstTokenAt - turn.sentAt,
  });
}

function release(turn) {
  clearInterval(turn.statsTimer);
  clearTimeout(turn.stopTimer);
  if (current === turn) {
    current = null;
    setStreaming(false);
    prompt.focus({ preventScroll: true });
  }
}

/** Renders the end of a turn once; later endings of the same turn are ignored. */
function endTurn(turn, end) {
  if (turn.finished) return;
  turn.finished = true;
  if (!end.metrics) updateLiveStats(turn); // keep the live numbers as the final word
  if (!turn.started) turn.user?.unconfirmed();
  turn.answer.finish(end);
  release(turn);
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

/** A terminal event arrived: report delivery, fetch the final rendering, then show the end all at once. */
async function settle(turn, end) {
  if (turn.terminal || turn.finished) return;
  turn.terminal = true;
  clearTimeout(turn.stopTimer);
  const delivery = turn.delivery.result();
  if (turn.messageId) {
    if (delivery.events > 0) {
      postAction(`api/messages/${turn.messageId}/delivery`,
        { maxLagMs: delivery.maxLagMs, bufferingSuspected: delivery.bufferingSuspected }).catch(() => {});
    }
    end.rendered = await fetchRendered(turn.messageId);
  }
  if (end.metrics) Object.assign(end.metrics, { clientTtftMs: turn.clientTtftMs, bufferingSuspected: delivery.bufferingSuspected });
  endTurn(turn, end);
}

function parseData(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    console.warn('ignoring a malformed event', event.type);
    return null;
  }
}

function onStart(turn, data) {
  turn.started = true;
  turn.messageId = data.messageId ?? null;
  turn.user?.sent(data.userMessageId);
  for (const el of turn.replaces) el.remove(); // the server has marked them replaced
  // The question gets its action bar (Copy) now, so the bar's row does not push the answer down when it ends.
  refreshActions(listEl, { busy: true });
  turn.answer.started(data);
  turn.answer.onFirstPaint = (paintedAt) => {
    turn.clientTtftMs = Math.round(paintedAt - turn.sentAt);
    if (turn.messageId) postAction(`api/messages/${turn.messageId}/paint`, { ttftMs: turn.clientTtftMs }).catch(() => {});
  };
  // The message is on the server now: the input may be cleared (unless already edited).
  if (turn.text != null && prompt.value === turn.text) prompt.value = '';
  if (data.conversationId && data.conversationId !== conversationId) {
    conversationId = data.conversationId;
    page.dataset.conversationId = conversationId;
    // A reload now shows this conversation's history.
    history.replaceState(null, '', apiUrl(`c/${encodeURIComponent(conversationId)}`));
  }
  sidebar.refresh().then(() => {
    const title = document.querySelector(`#history [data-id="${conversationId}"] .history-link`)?.textContent;
    if (title) {
      titleEl.textContent = title;
      document.title = `${title} — ChatRelay`;
    }
  });
}

function onServerEvent(turn, event) {
  if (turn.finished || turn.terminal) return;
  const data = parseData(event);
  if (!data) return;
  switch (event.type) {
    case 'start':
      onStart(turn, data);
      break;
    case 'token':
      if (typeof data.text !== 'string') return;
      turn.tokens += 1;
      turn.firstTokenAt ??= performance.now();
      turn.delivery.onToken(data.t, Date.now());
      turn.answer.append(data.text);
      break;
    case 'done':
      settle(turn, { status: data.endReason || 'completed', metrics: metricsFromDone(data) });
      break;
    case 'error':
      settle(turn, { status: 'error', endReason: data.endReason, error: data.message || 'The answer failed.' });
      break;
    default:
      // Unknown event types are ignored, like unknown SSE fields.
  }
}

function onFailure(turn, error) {
  if (turn.finished || turn.terminal) return;
  if (!turn.started && error instanceof HttpError) {
    failBeforeStream(turn, error.message);
  } else if (error?.name === 'AbortError') {
    endTurn(turn, {
      status: 'user_stop',
      notice: turn.started ? 'stopped — the answer may be incomplete' : 'stopped before the answer started',
    });
  } else if (!turn.started) {
    failBeforeStream(turn, 'could not reach the server. Check the connection and try again.');
  } else if (error?.reason === 'max-buffer-size-exceeded') {
    endTurn(turn, { status: 'error', error: 'The answer could not be read (an event was too large).' });
  } else {
    endTurn(turn, { status: 'error', error: LOST });
  }
}

/** Nothing was streamed: drop the empty answer, bring back what it was to replace, say why in place. */
function failBeforeStream(turn, message) {
  turn.finished = true;
  turn.answer.remove();
  for (const el of turn.replaces) el.hidden = false;
  if (turn.user && turn.kind !== 'continue') {
    turn.user.failed(message);
  } else {
    turn.user?.el.remove();
    const last = messages.current().at(-1);
    const note = document.createElement('p');
    note.className = 'error';
    note.setAttribute('role', 'alert');
    note.textContent = `Not done: ${message}`;
    (last ?? listEl).append(note);
  }
  release(turn);
}

/**
 * Starts a turn. `kind` is 'question', 'edit', 'regenerate' or 'continue'; `replaces` are the elements the server
 * will mark replaced (hidden now, removed once the stream starts, shown again if it never does).
 */
async function startTurn({ kind, text = null, extra = {}, replaces = [] }) {
  if (current) return;
  messages.removeFailed();
  for (const el of replaces) el.hidden = true;
  const turn = {
    kind, text, replaces,
    controller: new AbortController(),
    user: kind === 'regenerate' ? null : messages.addUser(text, kind === 'continue' ? 'continue' : null),
    answer: messages.addAssistant(),
    delivery: createDeliveryCheck(),
    messageId: null, started: false, terminal: false, finished: false, stopRequested: false,
    sentAt: performance.now(), firstTokenAt: null, clientTtftMs: null, tokens: 0, statsTimer: 0, stopTimer: 0,
  };
  current = turn;
  setStreaming(true);
  turn.statsTimer = setInterval(() => updateLiveStats(turn), STATS_INTERVAL_MS);
  updateLiveStats(turn);

  const body = { ...extra, model: modelSelect.value };
  if (conversationId) body.conversationId = conversationId;
  if (text != null) body.message = text;
  try {
    await postEventStream(apiUrl('api/chat'), {
      body, headers: csrfHeaders(), signal: turn.controller.signal, onEvent: (event) => onServerEvent(turn, event),
    });
    // The body ended without `done` or `error`: never pretend it completed.
    if (!turn.terminal) endTurn(turn, { status: 'error', error: LOST });
  } catch (error) {
    onFailure(turn, error);
  }
}

function send() {
  const text = prompt.value;
  if (current || !text.trim()) return;
  if (editing) {
    const target = editing;
    stopEditing(false);
    const answer = target.nextElementSibling?.dataset.role === 'assistant' ? target.nextElementSibling : null;
    startTurn({ kind: 'edit', text, extra: { editOf: target.dataset.messageId }, replaces: [target, answer].filter(Boolean) });
  } else {
    startTurn({ kind: 'question', text });
  }
}

function startEditing(userEl) {
  if (current) return;
  editing = userEl;
  prompt.value = sourceOf(userEl);
  editingBanner.hidden = false;
  prompt.focus({ preventScroll: true });
}

function stopEditing(clear = true) {
  editing = null;
  editingBanner.hidden = true;
  if (clear) prompt.value = '';
}

/**
 * Asks the server to stop (it answers with `done`, endReason user_stop, and real
 * usage) and keeps reading; aborts the fetch if nothing terminal arrives in time.
 */
function stop() {
  const turn = current;
  if (!turn || turn.finished) return;
  if (!turn.messageId || turn.stopRequested) {
    // Nothing to ask the server about yet, or a second press: cut the connection now.
    turn.stopRequested = true;
    turn.controller.abort();
    return;
  }
  turn.stopRequested = true;
  turn.answer.notice('stopping…');
  turn.stopTimer = setTimeout(() => turn.controller.abort(), STOP_GRACE_MS);
  postAction('api/chat/stop', { messageId: turn.messageId }).catch(() => {
    // The stop request itself failed: the grace timer still ends the turn.
  });
}

installActions(listEl, {
  regenerate: (answerEl) => startTurn({ kind: 'regenerate', extra: { regenerate: true }, replaces: [answerEl] }),
  edit: startEditing,
  continueAnswer: (answerEl) => startTurn({ kind: 'continue', extra: { continueOf: answerEl.dataset.messageId } }),
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});

prompt.addEventListener('keydown', (event) => {
  // Enter sends, Shift+Enter inserts a newline; never interrupt an IME composition.
  if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    if (!sendButton.disabled) form.requestSubmit(sendButton);
  }
});

stopButton.addEventListener('click', stop);
document.getElementById('cancel-edit').addEventListener('click', () => {
  stopEditing();
  prompt.focus({ preventScroll: true });
});

modelSelect.addEventListener('change', () => {
  announce(`Model: ${modelSelect.value}`);
  if (conversationId) postAction(`api/conversations/${conversationId}/model`, { model: modelSelect.value }).catch(() => {});
});

document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape' || document.querySelector('dialog[open]')) return;
  if (current) {
    event.preventDefault();
    stop();
  } else if (editing) {
    event.preventDefault();
    stopEditing();
  }
});

setStreaming(false);
prompt.focus({ preventScroll: true });
