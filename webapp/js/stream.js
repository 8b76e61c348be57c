// fetch + ReadableStream reader loop: POST JSON (or GET a resume), read the text/event-stream body
// through one streaming decoder into sse.js. No DOM here, so it runs under node too.
import { createParser } from './sse.js';

/** A failure before the stream started: the server answered with an HTTP error. */
export class HttpError extends Error {
  constructor(status, code, message, retryAfterSeconds = null) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const FALLBACK_MESSAGES = {
  400: 'The message was not accepted.',
  403: 'Your session has expired. Reload the page and try again.',
  404: 'This conversation was not found.',
  413: 'The message is too long.',
  415: 'The request was not accepted.',
  429: 'Too many requests. Wait a moment and try again.',
};

function fallbackMessage(status, retryAfterSeconds) {
  if (status === 429 && retryAfterSeconds != null) {
    return `Too many requests. Try again in ${retryAfterSeconds} s.`;
  }
  if (FALLBACK_MESSAGES[status]) return FALLBACK_MESSAGES[status];
  if (status >= 500) return `The server could not answer (HTTP ${status}). Try again.`;
  return `Unexpected response from the server (HTTP ${status}).`;
}

/**
 * The body of a non-stream answer: `{"error":{"code","message"}}`, tolerating
 * `{"error":"csrf"}` and bodies that are not JSON at all (a proxy's HTML page).
 */
export async function httpErrorFrom(response) {
  const retryHeader = response.headers.get('Retry-After');
  const retryAfterSeconds = retryHeader && /^\d+$/.test(retryHeader.trim()) ? Number(retryHeader.trim()) : null;
  let code = `http_${response.status}`;
  let message = '';
  try {
    const body = await response.json();
    const error = body?.error;
    if (error && typeof error === 'object') {
      if (typeof error.code === 'string') code = error.code;
      if (typeof error.message === 'string') message = error.message;
    } else if (typeof error === 'string') {
      code = error;
      if (typeof body.message === 'string') message = body.message;
    }
  } catch {
    // Not JSON: fall back to a message chosen by status.
  }
  // A 2xx that is not an event stream is still a failure of this request.
  const status = response.ok ? 502 : response.status;
  return new HttpError(response.status, code, message || fallbackMessage(status, retryAfterSeconds), retryAfterSeconds);
}

const isEventStream = (response) =>
  /^text\/event-stream\s*(;|$)/i.test(response.headers.get('Content-Type') ?? '');

/**
 * POSTs `body` as JSON and feeds the event-stream answer to the callbacks.
 * Resolves when the body ends (the caller decides whether a terminal event came);
 * rejects with HttpError before the stream, AbortError when `signal` aborts, a
 * TypeError on network failure, or a ParseError (max-buffer-size-exceeded).
 * @param {string|URL} url
 * @param {object} options
 * @param {unknown} options.body
 * @param {Record<string,string>} [options.headers]
 * @param {AbortSignal} [options.signal]
 * @param {(event: {type: string, data: string, id: string}) => void} options.onEvent
 * @param {(comment: string) => void} [options.onComment]
 * @param {() => void} [options.onOpen] the response is an event stream
 * @param {number} [options.idleMs] see readEventStream
 * @param {typeof fetch} [options.fetch]
 */
export async function postEventStream(url, { body, headers = {}, signal, fetch: fetchImpl = globalThis.fetch, ...reading }) {
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream', ...headers },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  await readEventStream(response, reading);
}

/**
 * GETs an event stream (the resume of an answer: `Last-Event-ID` in `headers`) and feeds it to the callbacks;
 * resolves and rejects as {@link postEventStream}.
 */
export async function getEventStream(url, { headers = {}, signal, fetch: fetchImpl = globalThis.fetch, ...reading }) {
  const response = await fetchImpl(url, {
    headers: { Accept: 'text/event-stream', ...headers },
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
  await readEventStream(response, reading);
}

/**
 * @param {Response} response
 * @param {object} callbacks
 * @param {number} [callbacks.idleMs] end the body when no byte came for this long: a connection that died without a
 *   word (a phone in a tunnel) otherwise hangs until TCP gives up, minutes later; the server's heartbeats keep a live
 *   but quiet stream well inside it
 */
async function readEventStream(response, { onEvent, onComment = () => {}, onOpen = () => {}, idleMs = 0 }) {
  if (!response.ok || !isEventStream(response) || !response.body) {
    throw await httpErrorFrom(response);
  }
  onOpen();

  const reader = response.body.getReader();
  // ignoreBOM: sse.js drops exactly one leading BOM itself (see its header).
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const parser = createParser({ onEvent, onComment });
  let idleTimer = 0;
  // Cancelling resolves the pending read as done: the body ends without a terminal event, as a cut one does.
  const watch = () => {
    clearTimeout(idleTimer);
    if (idleMs > 0) idleTimer = setTimeout(() => reader.cancel().catch(() => {}), idleMs);
  };
  try {
    for (watch(); ; watch()) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
  } catch (error) {
    // Stop the download too when the parser gave up (event too large) or a callback threw.
    reader.cancel().catch(() => {});
    throw error;
  } finally {
    clearTimeout(idleTimer);
    parser.end();
  }
}

/** POSTs a small JSON body and returns the Response (for /api/chat/stop). */
export function postJson(url, body, { headers = {}, signal, fetch: fetchImpl = globalThis.fetch } = {}) {
  return fetchImpl(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
    signal,
  });
}
