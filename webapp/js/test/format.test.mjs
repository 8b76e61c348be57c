import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  END_REASON_NOTICES, endReasonNotice, formatCost, liveStatsParts, finalStatsParts, metricsFromDone, BUFFERING_WARNING,
} from '../format.js';

describe('endReasonNotice', () => {
  it('says nothing for a completed answer', () => {
    assert.equal(endReasonNotice('completed'), '');
    assert.equal(endReasonNotice(undefined), '');
  });
  it('gives short notices for answers that did not complete', () => {
    assert.equal(endReasonNotice('user_stop'), 'stopped');
    assert.equal(endReasonNotice('upstream_cut'), 'cut by upstream — incomplete');
    assert.equal(endReasonNotice('length'), 'length limit reached');
  });
  it('shows an unknown reason instead of hiding it', () => {
    assert.equal(endReasonNotice('content_filter'), 'content filter');
  });
  it('does not read inherited properties as reasons', () => {
    assert.equal(endReasonNotice('toString'), 'toString');
  });
});

describe('chat.html renders stored statuses with the same words as the live view', () => {
  const template = readFileSync(new URL('../../WEB-INF/templates/chat.html', import.meta.url), 'utf8');
  const cases = Object.fromEntries(
    [...template.matchAll(/th:case="'([a-z_]+)'"[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]]),
  );

  it('the template has a case for every non-empty notice', () => {
    const expected = Object.fromEntries(Object.entries(END_REASON_NOTICES).filter(([, text]) => text));
    assert.deepEqual(cases, expected);
  });

  it('every status of the contract is covered', () => {
    for (const status of ['sent', 'streaming', 'completed', 'length', 'user_stop', 'client_gone',
      'upstream_error', 'upstream_cut', 'timeout', 'interrupted']) {
      assert.ok(Object.hasOwn(END_REASON_NOTICES, status), status);
    }
  });

  it('nothing is rendered unescaped except the server\'s sanitized markdown of an answer', () => {
    const unescaped = [...template.matchAll(/th:utext="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(unescaped, ['${m.html}']);
  });

  it('the buffering warning has the same words as the live view', () => {
    assert.ok(template.includes(`>${BUFFERING_WARNING}<`));
  });
});

describe('formatCost', () => {
  it('formats numbers with six decimals', () => {
    assert.equal(formatCost(0.000123), '$0.000123');
    assert.equal(formatCost(1.5), '$1.500000');
  });
  it('keeps a decimal string as sent', () => assert.equal(formatCost('0.000123'), '$0.000123'));
  it('says free for a zero cost, as a number or as the stored decimal (chat.html says the same)', () => {
    assert.equal(formatCost(0), 'free');
    assert.equal(formatCost('0.000000'), 'free');
    const template = readFileSync(new URL('../../WEB-INF/templates/chat.html', import.meta.url), 'utf8');
    assert.ok(template.includes("${x.costUsd == '0.000000'} ? 'free'"));
  });
  it('says nothing when the cost is unknown or not a number', () => {
    assert.equal(formatCost(null), '');
    assert.equal(formatCost(undefined), '');
    assert.equal(formatCost(Number.NaN), '');
    assert.equal(formatCost('1e9<script>'), '');
  });
});

describe('liveStatsParts', () => {
  it('counts tokens and elapsed seconds', () => {
    assert.deepEqual(liveStatsParts({ tokens: 0, elapsedMs: 250, firstTokenMs: null }), ['0 tokens', '0.3 s']);
    assert.deepEqual(liveStatsParts({ tokens: 1, elapsedMs: 400, firstTokenMs: 400 }), ['1 token', '0.4 s']);
  });
  it('computes tokens per second from the first token on', () => {
    assert.deepEqual(liveStatsParts({ tokens: 20, elapsedMs: 2500, firstTokenMs: 500 }), ['20 tokens', '2.5 s', '10.0 tok/s']);
  });
});

describe('finalStatsParts', () => {
  it('lists TTFT, total, rate and cost', () => {
    assert.deepEqual(finalStatsParts({ ttftMs: 312, totalMs: 2412, tokensPerSecond: 35.24, costUsd: 0.000123, usageSource: 'provider' }), {
      parts: ['TTFT 312 ms', 'total 2.41 s', '35.2 tok/s', '$0.000123'],
      estimated: false,
    });
  });
  it('flags estimated usage and skips unknown numbers', () => {
    assert.deepEqual(finalStatsParts({ ttftMs: null, totalMs: 900, tokensPerSecond: null, costUsd: null, usageSource: 'estimated' }), {
      parts: ['total 0.90 s'],
      estimated: true,
    });
  });
  it('puts the browser\'s first paint right after the server\'s TTFT: the latency chain', () => {
    assert.deepEqual(finalStatsParts({ ttftMs: 300, clientTtftMs: 342.6, totalMs: 1000 }).parts,
      ['TTFT 300 ms', 'first paint 343 ms', 'total 1.00 s']);
  });
  it('reads a done event', () => {
    const done = { finishReason: 'stop', endReason: 'completed', usage: { promptTokens: 5, completionTokens: 9, source: 'estimated' },
      ttftMs: 10, totalMs: 20, tokensPerSecond: 3, costUsd: 0.5 };
    assert.deepEqual(metricsFromDone(done), { ttftMs: 10, totalMs: 20, tokensPerSecond: 3, costUsd: 0.5, usageSource: 'estimated' });
  });
});
