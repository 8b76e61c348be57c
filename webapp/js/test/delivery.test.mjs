import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDeliveryCheck } from '../delivery.js';

/** Feeds [sentAt, arrivedAt] pairs and returns the verdict. */
function check(pairs, options) {
  const c = createDeliveryCheck(options);
  for (const [sent, arrived] of pairs) c.onToken(sent, arrived);
  return c.result();
}

// A browser clock 5 s behind the server's: absolute lags are negative, and must not matter.
const SKEW = -5000;
const steady = (n, every, jitter = () => 0) => Array.from({ length: n }, (_, i) => [1000 + i * every, 1000 + i * every + SKEW + 3 + jitter(i)]);

describe('createDeliveryCheck', () => {
  it('a stream delivered as sent is not flagged, whatever the clock skew', () => {
    const r = check(steady(200, 5, (i) => (i % 7) * 2));
    assert.equal(r.events, 200);
    assert.equal(r.lateBursts, 0);
    assert.equal(r.bufferingSuspected, false);
    assert.ok(r.maxLagMs <= 12, `maxLagMs ${r.maxLagMs}`);
  });

  it('tokens every 100 ms, held by a proxy and released once a second, are flagged', () => {
    // 20 tokens sent 100 ms apart; the proxy flushes at 1000 and 2000 ms after the first.
    const pairs = Array.from({ length: 20 }, (_, i) => {
      const sent = 10_000 + i * 100;
      const flush = i < 10 ? 11_000 : 12_000;
      return [sent, flush + SKEW + i % 10];
    });
    const r = check(pairs);
    assert.equal(r.lateBursts, 2);
    assert.equal(r.bufferingSuspected, true);
    assert.ok(r.maxLagMs >= 850, `maxLagMs ${r.maxLagMs}`);
  });

  it('tokens that the network coalesced into one read by a few ms are not a burst', () => {
    const pairs = [[0, 50], [10, 52], [20, 53], [30, 54], [40, 90]];
    assert.equal(check(pairs).bufferingSuspected, false);
  });

  it('one slow gap is a delay, not buffering', () => {
    const pairs = [[0, 10], [5, 15], [2000, 2010], [2005, 2015]];
    const r = check(pairs);
    assert.equal(r.bufferingSuspected, false);
    assert.equal(r.maxLagMs, 0);
  });

  it('events without a send time are ignored', () => {
    const r = check([[undefined, 5], [Number.NaN, 6], [null, 7]]);
    assert.deepEqual(r, { events: 0, maxLagMs: 0, lateBursts: 0, bufferingSuspected: false });
  });
});
