// Buttons under each message: Copy on every message; Regenerate and Continue on the
// last answer, Edit on the last question. Which of them apply is recomputed after
// every answer from the DOM, so server-rendered history and live messages behave alike.
import { announce } from './api.js';
import { element } from './view.js';

/** Answers that ended before the model finished: the continuable codes of persistence/EndReason.java (end-reasons.test.mjs pins the copy). */
const CONTINUABLE = new Set(['user_stop', 'length', 'client_gone', 'upstream_error', 'upstream_cut', 'timeout', 'interrupted']);

/** The text a Copy button copies: an answer's markdown source, or the visitor's own text. */
export function sourceOf(messageEl) {
  const source = messageEl.querySelector(':scope > .source');
  return (source ?? messageEl.querySelector(':scope > .text'))?.textContent ?? '';
}

export async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard API here (or no permission): the older, synchronous way.
    const active = document.activeElement;
    const area = element('textarea', 'visually-hidden');
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    active?.focus();
    return ok;
  }
}

async function copyFrom(button, text) {
  const ok = await copyText(text);
  button.textContent = ok ? 'Copied' : 'Copy failed';
  announce(ok ? 'Copied to the clipboard' : 'Could not copy');
  setTimeout(() => { button.textContent = button.dataset.label; }, 2000);
}

function button(action, label) {
  const b = element('button', null, label);
  b.type = 'button';
  b.dataset.action = action;
  b.dataset.label = label;
  return b;
}

/**
 * @param {HTMLElement} listEl #messages
 * @param {{regenerate(): void, edit(el: HTMLElement): void, continueAnswer(el: HTMLElement): void}} handlers
 */
export function installActions(listEl, handlers) {
  listEl.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target.closest('button') : null;
    if (!target || !listEl.contains(target)) return;
    if (target.classList.contains('copy-code')) {
      target.dataset.label ??= target.textContent;
      copyFrom(target, target.closest('.code-block')?.querySelector('code')?.textContent ?? '');
      return;
    }
    const message = target.closest('.message');
    switch (target.dataset.action) {
      case 'copy': copyFrom(target, sourceOf(message)); break;
      case 'regenerate': handlers.regenerate(message); break;
      case 'edit': handlers.edit(message); break;
      case 'continue': handlers.continueAnswer(message); break;
      default:
    }
  });
}

/** Adds the action bar where missing and shows only the actions that apply now. */
export function refreshActions(listEl, { busy }) {
  const shown = [...listEl.querySelectorAll(':scope > .message:not([hidden])')];
  const lastAnswer = shown.at(-1)?.dataset.role === 'assistant' ? shown.at(-1) : null;
  const lastQuestion = lastAnswer && shown.at(-2)?.dataset.role === 'user' ? shown.at(-2) : null;
  for (const el of shown) {
    if (!el.dataset.messageId || el.dataset.status === 'streaming' || el.dataset.status === 'pending') continue;
    let bar = el.querySelector(':scope > .message-actions');
    if (!bar) {
      bar = element('div', 'message-actions');
      bar.append(button('copy', 'Copy'));
      if (el.dataset.role === 'assistant') bar.append(button('regenerate', 'Regenerate'), button('continue', 'Continue'));
      else if (el.dataset.kind !== 'continue') bar.append(button('edit', 'Edit'));
      el.append(bar);
    }
    const can = {
      copy: el.dataset.kind !== 'continue',
      regenerate: !busy && el === lastAnswer && Boolean(lastQuestion),
      continue: !busy && el === lastAnswer && CONTINUABLE.has(el.dataset.endReason ?? el.dataset.status) && sourceOf(el).length > 0,
      edit: !busy && el === lastQuestion && el.dataset.kind !== 'continue',
    };
    for (const b of bar.querySelectorAll('button')) b.hidden = !can[b.dataset.action];
    bar.hidden = ![...bar.children].some((b) => !b.hidden);
  }
}
