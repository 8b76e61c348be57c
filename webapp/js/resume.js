// Keeps one answer's stream going through broken connections: when the stream
// breaks mid-answer, reconnect to the resume endpoint with the position of what
// was shown, with exponential back-off and full jitter, until a terminal event
// comes, the answer is stopped, the server refuses, or the deadline passes.
// No DOM here, so it runs under node too.
import { HttpError } from './stream.js';

/**
 * Back-off of the reconnects: 0.5 s doubling to 8 s, full jitter; give up 2 minutes after the break. A stream silent
 * for `idleMs` (three of the server's 15 s heartbeats missed) counts as broken.
 */
export const RECONNECT = Object.freeze({ baseMs: 500, capMs: 8000, giveUpMs: 120_000, idleMs: 45_000 });

/**
 * The wait before reconnect number `attempt` (0 first): "full jitter" (AWS Architecture Blog, "Exponential Backoff
 * And Jitter"), so the tabs a server restart cut off do not all come back at the same instant.
 */
export function backoffMs(attempt, { baseMs, capMs } = RECONNECT, random = Math.random) {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/**
 * Where an answer's resume starts: reasoning and text characters shown, in UTF-16 code units, as the server's event
 * ids count them (`<R>.<T>`, docs/api.md). Computed from what was received rather than copied from the last `id:`
 * line, so it is exact whichever stream (the POST or a resume) delivered the text.
 */
export class Position {
  constructor(reasoning = 0, text = 0) {
    this.reasoning = reasoning;
    this.text = text;
  }

  /** Counts what an event added; `data` is its parsed JSON. */
  add(type, data) {
    if (typeof data?.text !== 'string') return;
    if (type === 'token') this.text += data.text.length;
    else if (type === 'reasoning') this.reasoning += data.text.length;
  }

  toString() {
    return `${this.reasoning}.${this.text}`;
  }
}

/** A resume the server refused for good: the answer is not there (404), the position is wrong (400), or no access. */
export function isFinalRefusal(error) {
  return error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429;
}

function abortError() {
  return new DOMException('The operation was aborted.', 'AbortError');
}

/** setTimeout as a promise that rejects with an AbortError when `signal` aborts. */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort() {
      clearTimeout(timer);
      reject(abortError());
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Reads an answer to its end: `first()` (the POST), then, while the answer can resume, `resume(position)` (a GET of
 * the events after that position). A resume that made the answer move on starts the back-off and the deadline again.
 *
 * The answer decides what a break means and what the page shows:
 * `resumable()` (started, no terminal event yet, not stopped), `position()`, `reconnecting()`, `resumed()`
 * (a resume stream opened), `gaveUp()`, `onFailure(error)` and `onBodyEnd()` (the last stream ended without error).
 * @param {object} answer
 * @param {object} io
 * @param {() => Promise<void>} io.first
 * @param {(position: string, onOpen: () => void) => Promise<void>} io.resume
 * @param {AbortSignal} io.signal aborted by Stop (after its grace) or by the page
 * @param {{policy?: typeof RECONNECT, random?: () => number, now?: () => number, wait?: typeof sleep}} [timing]
 */
export async function follow(answer, { first, resume, signal }, { policy = RECONNECT, random = Math.random, now = Date.now, wait = sleep } = {}) {
  let failure = null;
  try {
    await first();
  } catch (error) {
    failure = error;
  }
  let attempt = 0;
  let brokeAt = null;
  let positionAtBreak = null;
  while (answer.resumable() && !signal.aborted && !isFinal(failure)) {
    const position = answer.position();
    if (position !== positionAtBreak) {
      // The answer moved on since the last break: this is a new break, with a fresh back-off and deadline.
      attempt = 0;
      brokeAt = now();
      positionAtBreak = position;
    }
    if (now() - brokeAt >= policy.giveUpMs) {
      answer.gaveUp();
      return;
    }
    answer.reconnecting();
    try {
      await wait(backoffMs(attempt++, policy, random), signal);
      failure = null;
      if (!answer.resumable()) break; // Stop was pressed meanwhile
      await resume(position, () => answer.resumed());
    } catch (error) {
      failure = error;
    }
  }
  if (failure) answer.onFailure(failure);
  else answer.onBodyEnd();
}

function isFinal(error) {
  return error?.name === 'AbortError' || error?.reason === 'max-buffer-size-exceeded' || isFinalRefusal(error);
}
