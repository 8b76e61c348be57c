// Conformance table for webapp/js/sse.js: docs/sse-conformance.md section 1.0, cases 1-25.
// Every row is fed whole, as the listed network chunks, split at every position
// (and at every pair of positions), one character at a time, and as UTF-8 bytes
// through one streaming TextDecoder split at every byte.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createParser, parseField, ParseError, DEFAULT_MAX_BUFFER_SIZE } from '../sse.js';

const encoder = new TextEncoder();
const bytes = (...parts) => {
  const arrays = parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
};

/** Expected events may be written as 'data' or [type, data, id]. */
const ev = (e) => (typeof e === 'string'
  ? { type: 'message', data: e, id: '' }
  : { type: e[0], data: e[1], id: e[2] ?? '' });

/** Runs one parser over text chunks and records everything it reports. */
function run(textChunks, options = {}) {
  const got = { events: [], comments: [], retries: [], errors: [], discarded: undefined };
  const parser = createParser({
    onEvent: (e) => got.events.push(e),
    onComment: (c) => got.comments.push(c),
    onRetry: (r) => got.retries.push(r),
    onError: (e) => got.errors.push(e),
    ...options,
  });
  for (const chunk of textChunks) parser.feed(chunk);
  got.discarded = parser.end();
  return got;
}

/** The way the browser does it: one decoder for the whole body, in stream mode. */
function decodeStreaming(byteChunks) {
  const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  const out = byteChunks.map((b) => decoder.decode(b, { stream: true }));
  out.push(decoder.decode());
  return out;
}

const concatBytes = (chunks) => bytes(...chunks.map((c) => Array.from(c)));

function check(row, got, how) {
  const msg = `${row.name} [${how}]`;
  assert.deepEqual(got.events, row.events.map(ev), `${msg}: events`);
  if (row.comments) assert.deepEqual(got.comments, row.comments, `${msg}: comments`);
  if (row.retries) assert.deepEqual(got.retries, row.retries, `${msg}: retries`);
  assert.deepEqual(got.errors.map((e) => e.reason), row.errors ?? [], `${msg}: error reasons`);
  for (const e of got.errors) assert.ok(e instanceof ParseError, `${msg}: ParseError`);
  if (row.discarded !== undefined) assert.equal(got.discarded, row.discarded, `${msg}: end() discarded`);
  if (row.extra) row.extra(got, msg);
}

// chunks: strings (text chunks) or Uint8Arrays (network byte chunks).
const TABLE = [
  { n: 1, name: 'simple event', chunks: ['data: hi\n\n'], events: ['hi'] },
  { n: 2, name: 'CRLF line endings', chunks: ['data: a\r\ndata: b\r\n\r\n'], events: ['a\nb'] },
  { n: 3, name: 'lone CR line endings everywhere', chunks: ['data: a\rdata: b\r\r'], events: ['a\nb'] },
  { n: 4, name: 'mixed CRLF, LF and CR in one event', chunks: ['event: t\r\ndata: 1\ndata: 2\r\r\n'], events: [['t', '1\n2']] },
  { n: 5, name: 'CRLF split over chunks stays one event', chunks: ['data: a\r', '\n', 'data: b\r\n', '\r\n'], events: ['a\nb'] },
  { n: 6, name: 'blank line split as CR | CR | LF is one dispatch', chunks: ['data: one\r', '\r', '\n'], events: ['one'] },
  { n: 6, name: 'LF after a held CR is not a blank line', chunks: ['data: one\r', '\n', 'data: two\n\n'], events: ['one\ntwo'] },
  { n: 7, name: 'held CR that really was a terminator', chunks: ['data: a\r', 'data: b\n\n'], events: ['a\nb'] },
  { n: 7, name: 'CR as the very last character still ends the line', chunks: ['data: a\n\r'], events: ['a'], discarded: false },
  { n: 8, name: 'leading BOM is dropped', chunks: [bytes([0xef, 0xbb, 0xbf], 'data: x\n\n')], events: ['x'] },
  { n: 8, name: 'leading BOM split over chunks', chunks: [bytes([0xef]), bytes([0xbb, 0xbf], 'data: 1\n\ndata: 2\n\n')], events: ['1', '2'] },
  { n: 8, name: 'leading BOM as text', chunks: ['\uFEFFdata: x\n\n'], events: ['x'] },
  {
    n: 9, name: 'double BOM: only one is dropped', chunks: [bytes([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf], 'data: 1\n\ndata: 2\n\n')],
    events: ['2'], errors: ['unknown-field'], extra: (got, msg) => assert.equal(got.errors[0].field, '\uFEFFdata', msg),
  },
  { n: 9, name: 'BOM mid-stream makes that line an unknown field', chunks: ['data: a\n\n\uFEFFdata: b\n\ndata: c\n\n'], events: ['a', 'c'], errors: ['unknown-field'] },
  { n: 10, name: 'comments are reported and ignored', chunks: [': hb\n\n:\n::::\n: x:y\ndata: z\n\n'], events: ['z'], comments: ['hb', '', ':::', 'x:y'] },
  { n: 10, name: 'blank lines on an empty buffer emit nothing', chunks: ['\n\n\n\ndata: z\n\n'], events: ['z'], comments: [] },
  { n: 11, name: 'field without colon: data', chunks: ['data\n\n'], events: [''] },
  { n: 11, name: 'field without colon twice', chunks: ['data\ndata\n\n'], events: ['\n'] },
  { n: 11, name: 'data with colon and no value', chunks: ['data:\n\n'], events: [''] },
  { n: 12, name: 'event without data dispatches nothing', chunks: ['event: only\n\n'], events: [] },
  { n: 12, name: 'id without data dispatches nothing', chunks: ['id: 3\n\n'], events: [] },
  { n: 12, name: 'id without data still sets the last event id', chunks: ['id: 3\n\ndata: after\n\n'], events: [['message', 'after', '3']] },
  { n: 13, name: 'no space after colon', chunks: ['data:x\n\n'], events: ['x'] },
  { n: 13, name: 'one space after colon is removed', chunks: ['data: x\n\n'], events: ['x'] },
  { n: 13, name: 'only one space is removed', chunks: ['data:  x\n\n'], events: [' x'] },
  { n: 13, name: 'value keeps everything after the first colon', chunks: ['data: {"k":"a:b"}\n\n'], events: ['{"k":"a:b"}'] },
  { n: 14, name: 'data lines join with LF, empty line kept', chunks: ['data: l1\ndata:\ndata: l3\n\n'], events: ['l1\n\nl3'] },
  { n: 14, name: 'only one trailing LF is removed', chunks: ['data: a\ndata:\n\n'], events: ['a\n'] },
  {
    n: 15, name: 'event type resets after each dispatch', chunks: ['event: delta\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n'],
    events: [['delta', '1'], '2', '3'],
  },
  { n: 15, name: 'event type resets even when nothing was dispatched', chunks: ['event: x\n\ndata: y\n\n'], events: ['y'] },
  { n: 16, name: 'field names are case-sensitive (Data)', chunks: ['Data: x\n\n'], events: [], errors: ['unknown-field'] },
  { n: 16, name: 'field names are case-sensitive (DATA)', chunks: ['DATA:x\n\n'], events: [], errors: ['unknown-field'] },
  {
    n: 16, name: 'leading space makes an unknown field', chunks: [' data: x\n\n'], events: [], errors: ['unknown-field'],
    extra: (got, msg) => assert.equal(got.errors[0].field, ' data', msg),
  },
  { n: 16, name: 'unknown fields are never fatal', chunks: ['foo: bar\ndata: ok\njunk\n\n'], events: ['ok'], errors: ['unknown-field', 'unknown-field'] },
  {
    n: 17, name: 'id sticks to later events until changed', chunks: ['id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n'],
    events: [['message', 'a', '7'], ['message', 'b', '7'], ['message', 'c', '']],
  },
  { n: 17, name: 'id containing NUL is ignored', chunks: ['id: 5\nid: x\0y\ndata: q\n\n'], events: [['message', 'q', '5']] },
  { n: 18, name: 'NUL in data is kept by the parser', chunks: ['data: \0\n\n'], events: ['\0'] },
  {
    n: 19, name: 'retry only with ASCII digits, never fatal', chunks: ['retry: 1500\nretry: 15x\nretry: -1\nretry: +5\nretry:\ndata: r\n\n'],
    events: ['r'], retries: [1500], errors: ['invalid-retry', 'invalid-retry', 'invalid-retry', 'invalid-retry'],
  },
  { n: 20, name: 'end of stream discards the partial last event', chunks: ['data: a\n\ndata: b'], events: ['a'], discarded: true },
  { n: 20, name: 'end of stream discards fields without their blank line', chunks: ['data: b\n'], events: [], discarded: true },
  { n: 20, name: 'a complete stream discards nothing', chunks: ['data: a\n\n'], events: ['a'], discarded: false },
  {
    n: 21, name: 'UTF-8 code points split over chunks',
    // é = C3 A9, € = E2 82 AC, 😀 = F0 9F 98 80: every chunk boundary falls inside one.
    chunks: [bytes('data: ', [0xc3]), bytes([0xa9, 0xe2, 0x82]), bytes([0xac, 0xf0, 0x9f, 0x98]), bytes([0x80], '\n\n')],
    events: ['é€😀'],
  },
  { n: 22, name: 'invalid UTF-8 becomes U+FFFD, no exception', chunks: [bytes('data: ', [0xff, 0xfe], '\n\n')], events: ['\uFFFD\uFFFD'] },
  {
    n: 23, name: 'U+2028, U+2029 and U+0085 are data, not newlines',
    chunks: ['data: {"t":"a\u2028b\u2029c\u0085d"}\n\n'], events: ['{"t":"a\u2028b\u2029c\u0085d"}'],
    extra: (got, msg) => assert.equal(JSON.parse(got.events[0].data).t, 'a\u2028b\u2029c\u0085d', msg),
  },
  { n: 25, name: 'not SSE at all: JSON then EOF', chunks: ['{"error":"x"}'], events: [], discarded: true },
  {
    n: 25, name: 'not SSE at all: JSON line is one unknown field', chunks: ['{"error":"x"}\n'], events: [], errors: ['unknown-field'],
    extra: (got, msg) => assert.equal(got.errors[0].field, '{"error"', msg),
  },
];

const MAX_PAIR_SPLIT_LENGTH = 120;

for (const row of TABLE) {
  describe(`case ${row.n}: ${row.name}`, () => {
    const isBytes = row.chunks.some((c) => typeof c !== 'string');
    const allBytes = isBytes ? concatBytes(row.chunks) : encoder.encode(row.chunks.join(''));

    if (!isBytes) {
      const text = row.chunks.join('');
      it('fed whole', () => check(row, run([text]), 'whole'));
      it('fed as the listed chunks', () => check(row, run(row.chunks), 'listed chunks'));
      it('split at every position', () => {
        for (let i = 0; i <= text.length; i++) check(row, run([text.slice(0, i), text.slice(i)]), `split at ${i}`);
      });
      if (text.length <= MAX_PAIR_SPLIT_LENGTH) {
        it('split at every pair of positions', () => {
          for (let i = 0; i <= text.length; i++) {
            for (let j = i; j <= text.length; j++) {
              check(row, run([text.slice(0, i), text.slice(i, j), text.slice(j)]), `split at ${i} and ${j}`);
            }
          }
        });
      }
      it('fed one character at a time', () => check(row, run(Array.from(text.split(''))), 'char by char'));
    } else {
      it('bytes as the listed network chunks', () => check(row, run(decodeStreaming(row.chunks)), 'listed byte chunks'));
    }
    it('bytes whole through a streaming TextDecoder', () => check(row, run(decodeStreaming([allBytes])), 'bytes whole'));
    it('bytes split at every position through a streaming TextDecoder', () => {
      for (let i = 0; i <= allBytes.length; i++) {
        check(row, run(decodeStreaming([allBytes.subarray(0, i), allBytes.subarray(i)])), `bytes split at ${i}`);
      }
    });
    it('bytes one at a time through a streaming TextDecoder', () => {
      const single = Array.from(allBytes, (b) => Uint8Array.of(b));
      check(row, run(decodeStreaming(single)), 'byte by byte');
    });
  });
}

describe('docs/sse-conformance.md case 21: decoding each network chunk on its own is the bug the streaming decoder avoids', () => {
  it('per-chunk decoding corrupts a split code point (sanity check of the fixture)', () => {
    const chunks = [bytes('data: ', [0xc3]), bytes([0xa9], '\n\n')];
    const wrong = run(chunks.map((c) => new TextDecoder().decode(c)));
    assert.notDeepEqual(wrong.events, [ev('é')]);
    assert.deepEqual(run(decodeStreaming(chunks)).events, [ev('é')]);
  });
});

describe('docs/sse-conformance.md case 24: bounded buffers', () => {
  const MiB = 1024 * 1024;

  it('default limit is 1 MiB', () => assert.equal(DEFAULT_MAX_BUFFER_SIZE, MiB));

  const expectTooLarge = (fn) => assert.throws(fn, (e) => e instanceof ParseError && e.reason === 'max-buffer-size-exceeded');

  it('a 4 MiB data line fed whole throws max-buffer-size-exceeded', () => {
    expectTooLarge(() => run(['data: ' + 'x'.repeat(4 * MiB) + '\n\n']));
  });

  it('a 4 MiB data line fed in 1-character chunks throws as soon as the cap is passed', () => {
    const parser = createParser({ onEvent: () => assert.fail('no event expected') });
    parser.feed('data: ');
    let fed = 6;
    expectTooLarge(() => {
      for (; fed < 4 * MiB; fed++) parser.feed('x');
    });
    // It gave up right after the cap instead of buffering all 4 MiB.
    assert.ok(fed >= MiB && fed <= MiB + 1, `threw after ${fed} characters`);
  });

  it('an event made of many small data lines is bounded too', () => {
    const line = 'data: ' + 'y'.repeat(1000) + '\n';
    expectTooLarge(() => run([line.repeat(1100) + '\n']));
  });

  it('a line of exactly the cap is accepted, one character more is not', () => {
    const value = 'z'.repeat(MiB - 'data: '.length); // the line is exactly MiB characters
    const got = run(['data: ' + value + '\n\n']);
    assert.equal(got.events.length, 1);
    assert.equal(got.events[0].data, value);
    expectTooLarge(() => run(['data: ' + value + 'z\n\n']));
    expectTooLarge(() => run(['data: ' + value, 'z']));
  });

  it('after the error the parser can be reset and reused', () => {
    const got = [];
    const parser = createParser({ onEvent: (e) => got.push(e.data), maxBufferSize: 16 });
    expectTooLarge(() => parser.feed('data: 0123456789abcdef'));
    parser.reset();
    parser.feed('data: ok\n\n');
    assert.deepEqual(got, ['ok']);
  });

  it('a 4 MiB data line in 1-character chunks parses in linear time when the cap allows it', { timeout: 30_000 }, () => {
    const events = [];
    const parser = createParser({ onEvent: (e) => events.push(e), maxBufferSize: 8 * MiB });
    const size = 4 * MiB;
    const started = performance.now();
    parser.feed('data: ');
    for (let i = 0; i < size; i++) parser.feed('x');
    parser.feed('\n');
    parser.feed('\n');
    const elapsed = performance.now() - started;
    assert.equal(events.length, 1);
    assert.equal(events[0].data.length, size);
    // Quadratic rescanning of the buffer would take hours here; linear takes well under a few seconds.
    assert.ok(elapsed < 20_000, `took ${elapsed} ms`);
  });
});

describe('parser API', () => {
  it('events carry exactly type, data and id', () => {
    const got = run(['event: token\nid: 9\ndata: {"text":"hi"}\n\n']);
    assert.deepEqual(got.events, [{ type: 'token', data: '{"text":"hi"}', id: '9' }]);
    assert.deepEqual(Object.keys(got.events[0]).sort(), ['data', 'id', 'type']);
  });

  it('heartbeat comments arrive as soon as their line ends', () => {
    const comments = [];
    const parser = createParser({ onComment: (c) => comments.push(c) });
    parser.feed(': h');
    assert.deepEqual(comments, []);
    parser.feed('b\n');
    assert.deepEqual(comments, ['hb']);
  });

  it('an event is dispatched as soon as its blank line arrives, before end()', () => {
    const events = [];
    const parser = createParser({ onEvent: (e) => events.push(e.data) });
    parser.feed('data: a\n');
    assert.deepEqual(events, []);
    parser.feed('\n');
    assert.deepEqual(events, ['a']);
  });

  it('reset() forgets the partial line, the last event id and the BOM state', () => {
    const events = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed('\uFEFFid: 1\ndata: partial');
    parser.reset();
    parser.feed('\uFEFFdata: fresh\n\n');
    assert.deepEqual(events, [{ type: 'message', data: 'fresh', id: '' }]);
  });

  it('end() keeps the last event id for a reconnection, like EventSource', () => {
    const events = [];
    const parser = createParser({ onEvent: (e) => events.push(e) });
    parser.feed('id: 4\ndata: a\n\ndata: cut');
    assert.equal(parser.end(), true);
    parser.feed('data: b\n\n');
    assert.deepEqual(events.map((e) => [e.data, e.id]), [['a', '4'], ['b', '4']]);
  });

  it('an LF at the start of the next stream is not swallowed by a CR that ended the previous one', () => {
    const events = [];
    const parser = createParser({ onEvent: (e) => events.push(e.data) });
    parser.feed('data: a\r');
    parser.end();
    parser.feed('\ndata: b\n\n'); // the leading LF is a blank line on an empty buffer: harmless, but not eaten
    assert.deepEqual(events, ['b']);
  });

  it('feed() rejects bytes: decoding is the caller\'s job', () => {
    assert.throws(() => createParser().feed(Uint8Array.of(0x61)), TypeError);
  });

  it('works without any callbacks', () => {
    const parser = createParser();
    parser.feed('data: x\n\nfoo\nretry: x\n\n: c\n');
    assert.equal(parser.end(), false);
  });
});

describe('parseField (stage 2 on its own)', () => {
  const rows = [
    ['data: x', { name: 'data', value: 'x' }],
    ['data:x', { name: 'data', value: 'x' }],
    ['data:  x', { name: 'data', value: ' x' }],
    ['data', { name: 'data', value: '' }],
    ['data:', { name: 'data', value: '' }],
    ['a:b:c', { name: 'a', value: 'b:c' }],
    [': hb', { comment: 'hb' }],
    [':hb', { comment: 'hb' }],
    [':', { comment: '' }],
    ['data:\tx', { name: 'data', value: '\tx' }],
  ];
  for (const [line, expected] of rows) {
    it(`${JSON.stringify(line)} -> ${JSON.stringify(expected)}`, () => assert.deepEqual(parseField(line), expected));
  }
});
