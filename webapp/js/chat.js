// Entry point of the chat page: wires the composer, the message actions and the
// sidebar to /api/chat. One answer (answer.js) streams at a time: a new question, or a
// regenerate / edit / continue of the conversation's end.
import { getEventStream, postEventStream } from './stream.js';
import { follow, RECONNECT } from './resume.js';
import { MessageList } from './view.js';
import { announce, apiUrl, csrfHeaders, postAction } from './api.js';
import { installActions, refreshActions, sourceOf } from './actions.js';
import { Sidebar } from './sidebar.js';
import { Answer } from './answer.js';
import { installFeedback, refreshFeedback } from './feedback.js';
import { showExport } from './export.js';

const STOP_GRACE_MS = 3000;

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
/** @type {Answer|null} the answer streaming now */
let current = null;
/** @type {HTMLElement|null} the user message being edited in the composer */
let editing = null;

const sidebar = new Sidebar({
  currentId: () => conversationId,
  onDeletedCurrent: () => location.assign(apiUrl('')),
  onRenamed: (id, title) => {
    if (id === conversationId) setTitle(title);
  },
});

function setStreaming(streaming) {
  document.body.dataset.streaming = String(streaming);
  sendButton.disabled = streaming;
  stopButton.hidden = !streaming;
  refreshActions(listEl, { busy: streaming });
  if (!streaming) refreshFeedback(listEl);
}

/** What an answer tells the page: it started (ids known), it ended (the page is free again). */
const pageHooks = {
  started(answer, data) {
    // The question gets its action bar (Copy) now, so the bar's row does not push the answer down when it ends.
    refreshActions(listEl, { busy: true });
    // The message is on the server now: the input may be cleared (unless already edited).
    if (answer.text != null && prompt.value === answer.text) prompt.value = '';
    if (data.conversationId && data.conversationId !== conversationId) {
      conversationId = data.conversationId;
      page.dataset.conversationId = conversationId;
      // A reload now shows this conversation's history.
      history.replaceState(null, '', apiUrl(`c/${encodeURIComponent(conversationId)}`));
      showExport(conversationId);
    }
    sidebar.refresh().then(() => {
      const title = document.querySelector(`#history [data-id="${conversationId}"] .history-link`)?.textContent;
      if (title) setTitle(title);
    });
  },
  ended(answer) {
    if (current !== answer) return;
    current = null;
    setStreaming(false);
    prompt.focus({ preventScroll: true });
  },
};

function setTitle(title) {
  titleEl.textContent = title;
  document.title = `${title} — ChatRelay`;
}

/**
 * Starts an answer. `kind` is 'question', 'edit', 'regenerate' or 'continue'; `replaces` are the elements the server
 * will mark replaced (hidden now, removed once the stream starts, shown again if it never does).
 */
async function startAnswer({ kind, text = null, extra = {}, replaces = [] }) {
  if (current) return;
  messages.removeFailed();
  const answer = new Answer({ kind, text, replaces, messages, page: pageHooks });
  current = answer;
  setStreaming(true);

  const body = { ...extra, model: modelSelect.value };
  if (conversationId) body.conversationId = conversationId;
  if (text != null) body.message = text;
  await read(answer, () => postEventStream(apiUrl('api/chat'), {
    body, headers: csrfHeaders(), signal: answer.controller.signal, idleMs: RECONNECT.idleMs, onEvent: (event) => answer.onEvent(event),
  }));
}

/** Reads the answer's stream to its end, resuming it where it stopped when the connection breaks (resume.js). */
function read(answer, first) {
  const signal = answer.controller.signal;
  const resume = (position, onOpen) => getEventStream(apiUrl(`api/messages/${encodeURIComponent(answer.messageId)}/events`), {
    headers: { 'Last-Event-ID': position }, signal, onOpen, idleMs: RECONNECT.idleMs, onEvent: (event) => answer.onEvent(event),
  });
  return follow(answer, { first: first ?? (() => resume(answer.position(), () => answer.resumed())), resume, signal });
}

/**
 * The conversation's last answer was still streaming when the page was rendered (a reload, a second tab): show it
 * live from what the server rendered, with Stop.
 */
function resumeStreaming() {
  const last = messages.current().at(-1);
  if (last?.dataset.role !== 'assistant' || last.dataset.status !== 'streaming' || !last.dataset.messageId) return;
  const answer = new Answer({ kind: 'resume', resumes: last, messages, page: pageHooks });
  current = answer;
  setStreaming(true);
  read(answer);
}

function send() {
  const text = prompt.value;
  if (current || !text.trim()) return;
  if (editing) {
    const target = editing;
    stopEditing(false);
    const answerEl = target.nextElementSibling?.dataset.role === 'assistant' ? target.nextElementSibling : null;
    startAnswer({ kind: 'edit', text, extra: { editOf: target.dataset.messageId }, replaces: [target, answerEl].filter(Boolean) });
  } else {
    startAnswer({ kind: 'question', text });
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
  const answer = current;
  if (!answer || answer.finished) return;
  if (!answer.messageId || answer.stopRequested) {
    // Nothing to ask the server about yet, or a second press: cut the connection now.
    answer.stopRequested = true;
    answer.controller.abort();
    return;
  }
  answer.stopRequested = true;
  answer.view.notice('stopping…');
  answer.stopTimer = setTimeout(() => answer.controller.abort(), STOP_GRACE_MS);
  postAction('api/chat/stop', { messageId: answer.messageId }).catch(() => {
    // The stop request itself failed: the grace timer still ends the answer.
  });
}

installActions(listEl, {
  regenerate: (answerEl) => startAnswer({ kind: 'regenerate', extra: { regenerate: true }, replaces: [answerEl] }),
  edit: startEditing,
  continueAnswer: (answerEl) => startAnswer({ kind: 'continue', extra: { continueOf: answerEl.dataset.messageId } }),
});

installFeedback(listEl);

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
resumeStreaming();
