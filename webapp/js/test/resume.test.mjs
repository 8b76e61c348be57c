// resume.js: the back-off, the position a resume asks for, and when the page reconnects and when it must not.
// The server is a fake fetch that keeps docs/api.md's resume contract over Node 20's own Response.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, follow, isFinalRefusal, Position, RECONNECT, sleep } from '../resume.js';
import { getEventStream, HttpError, postEventStream } from '../stream.js';

const encoder = new TextEncoder();

/** What follow() asks of chat.js's Answer, with the same Position bookkeeping; `log` says what the page did. */
class FakeAnswer {
  constructor({ started = true } = {}) {
    this.shown = new Position();
    this.started = started;
    this.messageId = started ? 'm1' : null;
    this.terminal = false;
    this.stopRequested = false;
    this.finished = false;
    this.text = '';
    this.reasoning = '';
    this.log = [];
  }

  onEvent(event) {
    const data = JSON.parse(event.data);
    if (event.type === 'start') {
      this.started = true;
      this.messageId = data.messageId;
    }
    this.shown.add(event.type, data);
    if (event.type === 'token') this.text += data.text;
    if (event.type === 'reasoning') this.reasoning += data.text;
    if (event.type === 'done' || event.type === 'error') this.terminal = true;
  }

  resumable() { return this.started && !this.terminal && !this.stopRequested && !this.finished; }
  position() { return this.shown.toString(); }
  reconnecting() { this.log.push('reconnecting'); }
  resumed() { this.log.push('resumed'); }
  gaveUp() { this.finished = true; this.log.push('gave up'); }
  onFailure(error) { this.finished = true; this.log.push(`failed: ${error.name}${error.status ? ` ${error.status}` : ''}`); }
  onBodyEnd() { this.finished = true; this.log.push(this.terminal ? 'ended' : 'lost'); }
}

/** A clock that only moves when the reader waits: the waits are recorded, nothing sleeps. */
function fakeTime() {
  const time = { now: 0, waits: [] };
  time.wait = async (ms, signal) => {
    if (signal?.aborted) throw new DOMException('aborted', 'AbortError');
    time.waits.push(ms);
    time.now += ms;
  };
  time.timing = (extra = {}) => ({ now: () => time.now, wait: time.wait, random: () => 0.999999, ...extra });
  return time;
}

const frame = (type, data, id) => `event: ${type}\n${id == null ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;

function streamOf(text, { error = false } = {}) {
  const bytes = encoder.encode(text);
  let sent = false;
  return new Response(new ReadableStream({
    pull(controller) {
      // The bytes are read first; only the next read fails (an error right away would drop them unread).
      if (!sent) {
        sent = true;
        controller.enqueue(bytes);
      } else if (error) {
        controller.error(new TypeError('network error'));
      } else {
        controller.close();
      }
    },
  }, { highWaterMark: 0 }), { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/**
 * An answer as the server streams it: pieces of reasoning and text, each event with its `<R>.<T>` id. Every
 * connection is cut after `cutAfter` more pieces (the body errors); while the page is away the answer moves on by
 * `movesOnBy` pieces, which the resume sends as one catch-up `reasoning` and one catch-up `token` event.
 */
function fakeServer(pieces, { cutAfter = 2, movesOnBy = 1 } = {}) {
  const ids = [];
  let r = 0;
  let t = 0;
  for (const p of pieces) {
    if (p.type === 'reasoning') r += p.text.length; else t += p.text.length;
    ids.push(`${r}.${t}`);
  }
  const server = { requests: [], lastIdSent: [] };
  let produced = 0; // pieces the answer has produced so far
  function serve(from, catchUp) {
    let out = '';
    let last = null;
    if (catchUp) {
      const missed = pieces.slice(from, produced);
      const reasoning = missed.filter((p) => p.type === 'reasoning').map((p) => p.text).join('');
      const text = missed.filter((p) => p.type === 'token').map((p) => p.text).join('');
      last = produced > 0 ? ids[produced - 1] : '0.0';
      if (reasoning) out += frame('reasoning', { text: reasoning }, last);
      if (text) out += frame('token', { text }, last);
      from = produced;
    }
    const until = Math.min(pieces.length, from + cutAfter);
    for (let i = from; i < until; i++) {
      out += frame(pieces[i].type, { text: pieces[i].text }, ids[i]);
      last = ids[i];
    }
    produced = until;
    server.lastIdSent.push(last);
    if (until === pieces.length) return streamOf(`${out}${frame('done', { endReason: 'completed' }, ids.at(-1))}`);
    produced = Math.min(pieces.length, produced + movesOnBy); // the answer goes on while the page is away
    return streamOf(out, { error: true });
  }
  server.fetch = async (url, init) => {
    server.requests.push({ url: String(url), init });
    if (init.method === 'POST') return serve(0, false);
    const position = init.headers['Last-Event-ID'];
    const [pr, pt] = position.split('.').map(Number);
    // The first piece not yet delivered to this position.
    const from = ids.findIndex((id) => { const [ir, it] = id.split('.').map(Number); return ir > pr || it > pt; });
    return serve(from === -1 ? pieces.length : from, true);
  };
  return server;
}

function readerFor(answer, server, time) {
  const signal = new AbortController().signal;
  const onEvent = (event) => answer.onEvent(event);
  const first = () => postEventStream('http://app.test/api/chat', { body: {}, signal, onEvent, fetch: server.fetch });
  const resume = (position, onOpen) => getEventStream('http://app.test/api/messages/m1/events', {
    headers: { 'Last-Event-ID': position }, signal, onOpen, onEvent, fetch: server.fetch,
  });
  return follow(answer, { first, resume, signal }, time.timing());
}

describe('backoffMs', () => {
  it('doubles from 0.5 s to a cap of 8 s, with full jitter below it', () => {
    const top = (attempt) => backoffMs(attempt, RECONNECT, () => 0.999999);
    assert.deepEqual([0, 1, 2, 3, 4, 5, 10].map(top), [499, 999, 1999, 3999, 7999, 7999, 7999]);
    assert.equal(backoffMs(3, RECONNECT, () => 0), 0, 'full jitter reaches zero');
    assert.equal(backoffMs(3, RECONNECT, () => 0.5), 2000);
  });
});

describe('Position', () => {
  it('counts reasoning and text in UTF-16 code units, as the event ids do', () => {
    const p = new Position();
    p.add('reasoning', { text: 'hm' });
    p.add('token', { text: 'a😀é' });
    p.add('token', { text: 7 });
    p.add('start', { text: 'x' });
    assert.equal(p.toString(), '2.4');
  });
});

describe('isFinalRefusal', () => {
  it('gives up on 400, 403 and 404, retries 408, 429 and server errors', () => {
    const final = [400, 403, 404, 408, 429, 500, 502, 503].filter((s) => isFinalRefusal(new HttpError(s, 'x', 'm')));
    assert.deepEqual(final, [400, 403, 404]);
    assert.equal(isFinalRefusal(new TypeError('network error')), false);
  });
});

describe('follow', () => {
  const pieces = [
    { type: 'reasoning', text: 'Think ' }, { type: 'reasoning', text: 'hard. ' }, { type: 'token', text: 'One ' },
    { type: 'token', text: 'two 😀 ' }, { type: 'token', text: 'three ' }, { type: 'token', text: 'four ' },
    { type: 'token', text: 'five ' }, { type: 'token', text: 'six.' },
  ];
  const whole = (type) => pieces.filter((p) => p.type === type).map((p) => p.text).join('');

  it('resumes every break at the last event id it received and ends with the exact text', async () => {
    const server = fakeServer(pieces, { cutAfter: 2, movesOnBy: 1 });
    const answer = new FakeAnswer();
    const time = fakeTime();
    await readerFor(answer, server, time);

    assert.equal(answer.text, whole('token'), 'nothing doubled or lost');
    assert.equal(answer.reasoning, whole('reasoning'));
    const asked = server.requests.slice(1).map((r) => r.init.headers['Last-Event-ID']);
    assert.deepEqual(asked, server.lastIdSent.slice(0, -1), 'each resume asks from the last id the server sent before the break');
    assert.ok(server.requests.slice(1).every((r) => r.url === 'http://app.test/api/messages/m1/events' && r.init.method === undefined));
    assert.equal(answer.log.at(-1), 'ended');
    assert.equal(answer.log.filter((x) => x === 'resumed').length, asked.length);
    assert.deepEqual(time.waits, asked.map(() => 499), 'each break made progress: the back-off starts again');
  });

  it('backs off exponentially while the server cannot be reached, then carries on', async () => {
    const server = fakeServer(pieces, { cutAfter: 4, movesOnBy: 0 });
    let refusals = 4;
    const fetch = server.fetch;
    server.fetch = async (url, init) => {
      if (init.method !== 'POST' && refusals-- > 0) throw new TypeError('Failed to fetch');
      return fetch(url, init);
    };
    const answer = new FakeAnswer();
    const time = fakeTime();
    await readerFor(answer, server, time);
    assert.deepEqual(time.waits, [499, 999, 1999, 3999, 7999]);
    assert.equal(answer.text, whole('token'));
    assert.deepEqual(answer.log.filter((x) => x === 'reconnecting').length, 5);
  });

  it('gives up two minutes after the break, with 8 s between the late attempts', async () => {
    const answer = new FakeAnswer();
    const time = fakeTime();
    let resumes = 0;
    await follow(answer, {
      first: async () => { throw new TypeError('network error'); },
      resume: async () => { resumes += 1; throw new TypeError('Failed to fetch'); },
      signal: new AbortController().signal,
    }, time.timing());
    assert.equal(answer.log.at(-1), 'gave up');
    assert.ok(time.now >= RECONNECT.giveUpMs && time.now < RECONNECT.giveUpMs + RECONNECT.capMs, String(time.now));
    assert.equal(resumes, time.waits.length);
    assert.ok(time.waits.slice(4).every((w) => w === 7999), time.waits.join());
  });

  it('does not reconnect after a terminal event', async () => {
    const answer = new FakeAnswer();
    let resumes = 0;
    await follow(answer, {
      first: async () => {
        answer.onEvent({ type: 'token', data: '{"text":"hi"}' });
        answer.onEvent({ type: 'done', data: '{}' });
        throw new TypeError('network error'); // the connection broke after the end: nothing to resume
      },
      resume: async () => { resumes += 1; },
      signal: new AbortController().signal,
    }, fakeTime().timing());
    assert.equal(resumes, 0);
    assert.deepEqual(answer.log, ['failed: TypeError']);
  });

  it('does not reconnect after Stop', async () => {
    const answer = new FakeAnswer();
    let resumes = 0;
    await follow(answer, {
      first: async () => { answer.stopRequested = true; },
      resume: async () => { resumes += 1; },
      signal: new AbortController().signal,
    }, fakeTime().timing());
    assert.equal(resumes, 0);
    assert.deepEqual(answer.log, ['lost']);
  });

  it('does not reconnect when Stop is pressed while it waits to', async () => {
    const answer = new FakeAnswer();
    const time = fakeTime();
    let resumes = 0;
    await follow(answer, {
      first: async () => { throw new TypeError('network error'); },
      resume: async () => { resumes += 1; },
      signal: new AbortController().signal,
    }, time.timing({ wait: async () => { answer.stopRequested = true; } }));
    assert.equal(resumes, 0);
    assert.deepEqual(answer.log, ['reconnecting', 'lost']);
  });

  it('stops waiting when the signal aborts (Stop after its grace), with an AbortError', async () => {
    const answer = new FakeAnswer();
    const controller = new AbortController();
    let resumes = 0;
    const done = follow(answer, {
      first: async () => { throw new TypeError('network error'); },
      resume: async () => { resumes += 1; },
      signal: controller.signal,
    }, { random: () => 0.999, wait: sleep });
    setTimeout(() => controller.abort(), 20);
    await done;
    assert.equal(resumes, 0);
    assert.deepEqual(answer.log, ['reconnecting', 'failed: AbortError']);
  });

  it('does not reconnect an answer that never started (an HTTP error before start)', async () => {
    const answer = new FakeAnswer({ started: false });
    let resumes = 0;
    await follow(answer, {
      first: async () => { throw new HttpError(429, 'rate_limited', 'Too many'); },
      resume: async () => { resumes += 1; },
      signal: new AbortController().signal,
    }, fakeTime().timing());
    assert.equal(resumes, 0);
    assert.deepEqual(answer.log, ['failed: HttpError 429']);
  });

  for (const status of [404, 400]) {
    it(`stops at a ${status} from the resume endpoint and reports it`, async () => {
      const answer = new FakeAnswer();
      let resumes = 0;
      await follow(answer, {
        first: async () => { throw new TypeError('network error'); },
        resume: async () => {
          resumes += 1;
          throw new HttpError(status, 'x', 'no');
        },
        signal: new AbortController().signal,
      }, fakeTime().timing());
      assert.equal(resumes, 1);
      assert.deepEqual(answer.log, ['reconnecting', `failed: HttpError ${status}`]);
    });
  }

  it('retries a 503 from a proxy in front of a restarting node', async () => {
    const answer = new FakeAnswer();
    const statuses = [503, 502];
    await follow(answer, {
      first: async () => { throw new TypeError('network error'); },
      resume: async (position, onOpen) => {
        if (statuses.length) throw new HttpError(statuses.shift(), 'x', 'busy');
        onOpen();
        answer.onEvent({ type: 'done', data: '{}' });
      },
      signal: new AbortController().signal,
    }, fakeTime().timing());
    assert.deepEqual(answer.log, ['reconnecting', 'reconnecting', 'reconnecting', 'resumed', 'ended']);
  });
});
