// Entry point of the chat page: wires the composer to /api/chat and renders the
// answer as it streams. One turn streams at a time; each turn keeps its own state
// so a late event or error from a finished turn can never touch the next one.
import { postEventStream, postJson, HttpError } from './stream.js';
import { MessageList } from './view.js';
import { metricsFromDone } from './format.js';

const STOP_GRACE_MS = 3000;
const STATS_INTERVAL_MS = 100;
const LOST = 'connection lost — the answer is incomplete';

const page = document.getElementById('chat');
const form = document.getElementById('composer');
const prompt = document.getElementById('prompt');
const sendButton = document.getElementById('send');
const stopButton = document.getElementById('stop');
const messages = new MessageList(document.getElementById('messages'));

// data-base is the context path ("/" or "/app/"), so URLs work under any context.
const base = new URL(document.body.dataset.base || '/', document.baseURI);
const apiUrl = (path) => new URL(path, base);
const csrfHeaders = () => ({
  'X-CSRF-Token': document.querySelector('meta[name="csrf-token"]')?.content ?? '',
});

let conversationId = page.dataset.conversationId || null;
/** @type {Turn|null} */
let current = null;

/**
 * @typedef {object} Turn
 * @property {AbortController} controller
 * @property {string} text             what the user sent
 * @property {import('./view.js').UserMessage} user
 * @property {import('./view.js').AssistantMessage} answer
 * @property {string|null} messageId  from `start`
 * @property {boolean} started
 * @property {boolean} finished        a terminal event (or a local ending) was rendered
 * @property {boolean} stopRequested
 * @property {number} sentAt
 * @property {number|null} firstTokenAt
 * @property {number} tokens
 * @property {number} statsTimer
 * @property {number} stopTimer
 */

function setStreaming(streaming) {
  document.body.dataset.streaming = String(streaming);
  sendButton.disabled = streaming;
  stopButton.hidden = !streaming;
}

function updateLiveStats(turn) {
  const now = performance.now();
  turn.answer.liveStats({
    tokens: turn.tokens,
    elapsedMs: now - turn.sentAt,
    firstTokenMs: turn.firstTokenAt == null ? null : turn.firstTokenAt - turn.sentAt,
  });
}

/** Renders the end of a turn once; later endings of the same turn are ignored. */
function endTurn(turn, end) {
  if (turn.finished) return;
  turn.finished = true;
  clearInterval(turn.statsTimer);
  clearTimeout(turn.stopTimer);
  if (!end.metrics) updateLiveStats(turn); // keep the live numbers as the final word
  if (!turn.started) turn.user.unconfirmed();
  turn.answer.finish(end);
  if (current === turn) {
    current = null;
    setStreaming(false);
    prompt.focus();
  }
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
  turn.user.sent();
  turn.answer.started(data);
  // The message is on the server now: the input may be cleared (unless already edited).
  if (prompt.value === turn.text) prompt.value = '';
  if (data.conversationId && data.conversationId !== conversationId) {
    conversationId = data.conversationId;
    page.dataset.conversationId = conversationId;
    // A reload now shows this conversation's history.
    history.replaceState(null, '', apiUrl(`c/${encodeURIComponent(conversationId)}`));
  }
}

function onServerEvent(turn, event) {
  if (turn.finished) return;
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
      turn.answer.append(data.text);
      break;
    case 'done':
      endTurn(turn, {
        status: data.endReason || 'completed',
        metrics: metricsFromDone(data),
      });
      break;
    case 'error':
      endTurn(turn, { status: 'error', error: data.message || 'The answer failed.' });
      break;
    default:
      // Unknown event types are ignored, like unknown SSE fields.
  }
}

function onFailure(turn, error) {
  if (turn.finished) return;
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

/** Nothing was streamed: drop the empty answer, flag the question, keep the input. */
function failBeforeStream(turn, message) {
  turn.finished = true;
  clearInterval(turn.statsTimer);
  clearTimeout(turn.stopTimer);
  turn.answer.remove();
  turn.user.failed(message);
  if (current === turn) {
    current = null;
    setStreaming(false);
    prompt.focus();
  }
}

async function send() {
  const text = prompt.value;
  if (current || !text.trim()) return;

  messages.removeFailed();
  /** @type {Turn} */
  const turn = {
    controller: new AbortController(),
    text,
    user: messages.addUser(text),
    answer: messages.addAssistant(),
    messageId: null,
    started: false,
    finished: false,
    stopRequested: false,
    sentAt: performance.now(),
    firstTokenAt: null,
    tokens: 0,
    statsTimer: 0,
    stopTimer: 0,
  };
  current = turn;
  setStreaming(true);
  turn.statsTimer = setInterval(() => updateLiveStats(turn), STATS_INTERVAL_MS);
  updateLiveStats(turn);

  const body = conversationId ? { conversationId, message: text } : { message: text };
  try {
    await postEventStream(apiUrl('api/chat'), {
      body,
      headers: csrfHeaders(),
      signal: turn.controller.signal,
      onEvent: (event) => onServerEvent(turn, event),
    });
    // The body ended without `done` or `error`: never pretend it completed.
    endTurn(turn, { status: 'error', error: LOST });
  } catch (error) {
    onFailure(turn, error);
  }
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
  postJson(apiUrl('api/chat/stop'), { messageId: turn.messageId }, { headers: csrfHeaders() })
    .catch(() => {
      // The stop request itself failed: the grace timer still ends the turn.
    });
}

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

document.addEventListener('keydown', (event) => {
  if (event.key === 'Escape' && current) {
    event.preventDefault();
    stop();
  }
});

setStreaming(false);
prompt.focus();
