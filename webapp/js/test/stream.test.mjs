// stream.js against a fake fetch: Node 20's own Response and ReadableStream stand in for the browser's.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { getEventStream, postEventStream, postJson, httpErrorFrom, HttpError } from '../stream.js';
import { ParseError } from '../sse.js';

const encoder = new TextEncoder();

/** A body that delivers the given byte chunks one read at a time. */
function bodyOf(chunks, { onCancel } = {}) {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]);
      else controller.close();
    },
    cancel: onCancel,
  }, { highWaterMark: 0 });
}

function fakeFetch(response) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url: String(url), init });
    return typeof response === 'function' ? response(init) : response;
  };
  return { fetch, calls };
}

const sse = (chunks, init = {}) => new Response(bodyOf(chunks, init), {
  status: 200, headers: { 'Content-Type': 'text/event-stream; charset=utf-8' },
});

async function collect(response, extra = {}) {
  const events = [];
  const comments = [];
  const { fetch, calls } = fakeFetch(response);
  await postEventStream('http://app.test/ctx/api/chat', {
    body: { conversationId: 'c1', message: 'hi' },
    headers: { 'X-CSRF-Token': 'tok' },
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
    fetch,
    ...extra,
  });
  return { events, comments, calls };
}

describe('postEventStream', () => {
  it('POSTs JSON with the CSRF header, same-origin credentials and no caching', async () => {
    const { calls } = await collect(sse([]));
    assert.equal(calls.length, 1);
    const { url, init } = calls[0];
    assert.equal(url, 'http://app.test/ctx/api/chat');
    assert.equal(init.method, 'POST');
    assert.equal(init.credentials, 'same-origin');
    assert.equal(init.cache, 'no-store');
    assert.equal(init.headers['Content-Type'], 'application/json');
    assert.equal(init.headers['X-CSRF-Token'], 'tok');
    assert.deepEqual(JSON.parse(init.body), { conversationId: 'c1', message: 'hi' });
  });

  it('decodes bytes with one streaming decoder: split code points, CRLF and a BOM survive', async () => {
    const text = '\uFEFFevent: start\r\ndata: {"messageId":"m1"}\r\n\r\n: hb\n\nevent: token\ndata: {"text":"é€😀"}\n\n';
    const bytes = encoder.encode(text);
    // one byte per read: every code point and every CRLF is split
    const chunks = Array.from(bytes, (b) => Uint8Array.of(b));
    const { events, comments } = await collect(sse(chunks));
    assert.deepEqual(events, [
      { type: 'start', data: '{"messageId":"m1"}', id: '' },
      { type: 'token', data: '{"text":"é€😀"}', id: '' },
    ]);
    assert.deepEqual(comments, ['hb']);
  });

  it('resolves when the body ends, dropping an unterminated last event', async () => {
    const { events } = await collect(sse([encoder.encode('event: token\ndata: {"text":"a"}\n\nevent: done\ndata: {}')]));
    assert.deepEqual(events.map((e) => e.type), ['token']);
  });

  it('rejects with AbortError when the signal aborts mid-stream', async () => {
    const controller = new AbortController();
    const response = (init) => {
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(encoder.encode('event: start\ndata: {}\n\n'));
          init.signal.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')));
        },
      });
      return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
    };
    const events = [];
    const { fetch } = fakeFetch(response);
    const done = postEventStream('http://app.test/api/chat', {
      body: {}, signal: controller.signal, fetch,
      onEvent: (e) => { events.push(e.type); controller.abort(); },
    });
    await assert.rejects(done, { name: 'AbortError' });
    assert.deepEqual(events, ['start']);
  });

  it('gives up on an oversized event and cancels the download', async () => {
    let cancelled = false;
    const huge = encoder.encode('data: ' + 'x'.repeat(1024 * 1024 + 10));
    const response = sse([huge, encoder.encode('\n\n')], { onCancel: () => { cancelled = true; } });
    await assert.rejects(collect(response), (e) => e instanceof ParseError && e.reason === 'max-buffer-size-exceeded');
    assert.equal(cancelled, true);
  });

  it('a JSON error before the stream becomes an HttpError with the server message', async () => {
    const response = new Response(JSON.stringify({ error: { code: 'message_too_long', message: 'Messages are limited to 32 KiB.' } }), {
      status: 413, headers: { 'Content-Type': 'application/json' },
    });
    await assert.rejects(collect(response), (e) => e instanceof HttpError && e.status === 413
      && e.code === 'message_too_long' && e.message === 'Messages are limited to 32 KiB.');
  });

  it('a 200 that is not an event stream is a failure too', async () => {
    const response = new Response('{"ok":true}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    await assert.rejects(collect(response), (e) => e instanceof HttpError && e.status === 200 && /HTTP 502/.test(e.message));
  });
});

describe('the idle watchdog (idleMs)', () => {
  /** A stream that sends `head`, then one heartbeat comment every `beatMs` while `beats` last, then nothing. */
  function quietStream(head, { beats = 0, beatMs = 10 } = {}) {
    let cancelled = false;
    const stream = new ReadableStream({
      async start(c) {
        c.enqueue(encoder.encode(head));
        for (let i = 0; i < beats && !cancelled; i++) {
          await new Promise((r) => setTimeout(r, beatMs));
          if (!cancelled) c.enqueue(encoder.encode(': hb\n\n'));
        }
      },
      cancel() { cancelled = true; },
    });
    return new Response(stream, { headers: { 'Content-Type': 'text/event-stream' } });
  }

  // Without the watchdog these bodies never end: the timeout makes that a failure, not a hang.
  it('ends a body that went silent, as a cut one, so the reader can resume', { timeout: 5000 }, async () => {
    const events = [];
    const { fetch } = fakeFetch(quietStream('event: token\ndata: {"text":"a"}\n\n'));
    const started = Date.now();
    await postEventStream('http://app.test/api/chat', { body: {}, fetch, idleMs: 50, onEvent: (e) => events.push(e.type) });
    assert.deepEqual(events, ['token']);
    assert.ok(Date.now() - started < 2000);
  });

  it('lets heartbeats keep a quiet stream open', { timeout: 5000 }, async () => {
    const comments = [];
    const { fetch } = fakeFetch(quietStream('event: token\ndata: {"text":"a"}\n\n', { beats: 8, beatMs: 20 }));
    await getEventStream('http://app.test/api/messages/m1/events', { fetch, idleMs: 80, onEvent: () => {}, onComment: (c) => comments.push(c) });
    assert.equal(comments.length, 8, 'read to the last heartbeat, then ended by the silence after it');
  });
});

describe('getEventStream', () => {
  it('GETs with the given Last-Event-ID, same-origin credentials and no caching', async () => {
    const { fetch, calls } = fakeFetch(sse([encoder.encode('event: token\nid: 0.2\ndata: {"text":"hi"}\n\n')]));
    const events = [];
    await getEventStream('http://app.test/api/messages/m1/events', {
      headers: { 'Last-Event-ID': '3.7' }, fetch, onEvent: (e) => events.push(e),
    });
    assert.equal(calls[0].init.method, undefined);
    assert.equal(calls[0].init.headers['Last-Event-ID'], '3.7');
    assert.equal(calls[0].init.headers.Accept, 'text/event-stream');
    assert.equal(calls[0].init.credentials, 'same-origin');
    assert.equal(calls[0].init.cache, 'no-store');
    assert.deepEqual(events, [{ type: 'token', data: '{"text":"hi"}', id: '0.2' }]);
  });

  it('a 404 JSON error becomes an HttpError', async () => {
    const { fetch } = fakeFetch(new Response('{"error":{"code":"not_found","message":"No such answer."}}', { status: 404 }));
    await assert.rejects(getEventStream('http://app.test/api/messages/m1/events', { fetch, onEvent: () => {} }),
      (e) => e instanceof HttpError && e.status === 404 && e.message === 'No such answer.');
  });
});

describe('httpErrorFrom', () => {
  it('tolerates {"error":"csrf"}', async () => {
    const e = await httpErrorFrom(new Response('{"error":"csrf"}', { status: 403 }));
    assert.equal(e.code, 'csrf');
    assert.match(e.message, /Reload the page/);
  });
  it('uses Retry-After when a 429 has no message', async () => {
    const e = await httpErrorFrom(new Response('{"error":"rate_limited"}', { status: 429, headers: { 'Retry-After': '7' } }));
    assert.equal(e.retryAfterSeconds, 7);
    assert.equal(e.message, 'Too many requests. Try again in 7 s.');
  });
  it('falls back by status when the body is not JSON', async () => {
    const e = await httpErrorFrom(new Response('<h1>Bad gateway</h1>', { status: 502, headers: { 'Content-Type': 'text/html' } }));
    assert.equal(e.code, 'http_502');
    assert.equal(e.message, 'The server could not answer (HTTP 502). Try again.');
  });
});

describe('postJson', () => {
  it('sends the stop request as JSON with the given headers', async () => {
    const { fetch, calls } = fakeFetch(new Response(null, { status: 202 }));
    const response = await postJson('http://app.test/api/chat/stop', { messageId: 'm1' }, { headers: { 'X-CSRF-Token': 't' }, fetch });
    assert.equal(response.status, 202);
    assert.equal(calls[0].init.method, 'POST');
    assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
    assert.equal(calls[0].init.headers['X-CSRF-Token'], 't');
    assert.equal(calls[0].init.body, '{"messageId":"m1"}');
  });
});
