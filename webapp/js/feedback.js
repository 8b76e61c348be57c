// Thumbs up / down and an optional comment under every finished answer. A rating is one
// POST in the background: the page never waits for it, a failure only says so beside the
// buttons. The state a reload shows comes from the server (data-feedback on the article).
import { announce, postAction } from './api.js';
import { element } from './view.js';

const LABELS = { up: 'Thumbs up', down: 'Thumbs down' };
const SPOKEN = { up: 'Rated: thumbs up', down: 'Rated: thumbs down' };
const MAX_COMMENT = 500;

function isRateable(el) {
  const { role, messageId, status } = el.dataset;
  return role === 'assistant' && messageId && !['pending', 'streaming', 'failed'].includes(status);
}

function thumb(rating) {
  const b = element('button', 'thumb', LABELS[rating]);
  b.type = 'button';
  b.dataset.rating = rating;
  b.setAttribute('aria-pressed', 'false');
  return b;
}

function group(messageEl) {
  const box = element('div', 'feedback');
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'Rate this answer');
  const form = element('form', 'feedback-comment');
  const id = `comment-${messageEl.dataset.messageId}`;
  const label = element('label', null, 'Comment (optional)');
  label.htmlFor = id;
  const input = element('input');
  Object.assign(input, { type: 'text', id, maxLength: MAX_COMMENT, autocomplete: 'off' });
  input.value = messageEl.dataset.feedbackComment ?? '';
  const save = element('button', 'save-comment', 'Save comment');
  save.type = 'submit';
  form.append(label, input, save);
  const status = element('span', 'feedback-status');
  box.append(thumb('up'), thumb('down'), form, status);
  show(box, messageEl.dataset.feedback);
  return box;
}

/** Pressed state and the comment box follow the stored rating. */
function show(box, rating) {
  for (const b of box.querySelectorAll('.thumb')) b.setAttribute('aria-pressed', String(b.dataset.rating === rating));
  box.querySelector('.feedback-comment').hidden = !rating;
}

async function save(messageEl, box, rating, comment) {
  const status = box.querySelector('.feedback-status');
  const before = messageEl.dataset.feedback;
  show(box, rating);
  status.textContent = '';
  try {
    const body = comment ? { rating, comment } : { rating };
    await postAction(`api/messages/${encodeURIComponent(messageEl.dataset.messageId)}/feedback`, body);
    messageEl.dataset.feedback = rating;
    if (comment != null) messageEl.dataset.feedbackComment = comment;
    status.textContent = comment ? 'Comment saved' : 'Thanks';
    announce(comment ? 'Comment saved' : SPOKEN[rating]);
  } catch (error) {
    show(box, before);
    status.textContent = `Not saved: ${error.message ?? 'try again'}`;
    announce('The rating was not saved');
  }
}

/** Adds the rating controls to finished answers that lack them. */
export function refreshFeedback(listEl) {
  for (const el of listEl.querySelectorAll(':scope > .message[data-role="assistant"]:not([hidden])')) {
    if (isRateable(el) && !el.querySelector(':scope > .feedback')) el.append(group(el));
  }
}

export function installFeedback(listEl) {
  listEl.addEventListener('click', (event) => {
    const b = event.target instanceof Element ? event.target.closest('.feedback .thumb') : null;
    if (!b) return;
    const messageEl = b.closest('.message');
    const box = b.closest('.feedback');
    const comment = box.querySelector('.feedback-comment input').value.trim();
    save(messageEl, box, b.dataset.rating, comment || null);
  });
  listEl.addEventListener('submit', (event) => {
    const form = event.target instanceof Element ? event.target.closest('.feedback-comment') : null;
    if (!form) return;
    event.preventDefault();
    const messageEl = form.closest('.message');
    const rating = messageEl.dataset.feedback;
    if (rating) save(messageEl, form.closest('.feedback'), rating, form.querySelector('input').value.trim());
  });
}
