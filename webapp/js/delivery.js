// Buffering self-check: is something between the relay and this page holding the
// stream back? Every token event carries `t`, the relay's send time (epoch ms). A
// buffering proxy delivers events that were sent over a long stretch in one late
// burst. Pure module (no DOM), tested under node.
//
// Clocks differ between server and browser, so absolute lags mean nothing; what
// counts is how lags vary within one stream:
//   - maxLagMs: the largest lag beyond the stream's smallest (max(lag) - min(lag));
//   - a late burst: a run of events that arrived close together (each within
//     `burstGapMs` of the one before) although the relay sent them at least
//     `compressionMs` further apart than they arrived.

/**
 * @param {{burstGapMs?: number, compressionMs?: number}} [options]
 * @returns {{onToken(sentAt: number, arrivedAt: number): void, result(): {events: number, maxLagMs: number, lateBursts: number, bufferingSuspected: boolean}}}
 */
export function createDeliveryCheck({ burstGapMs = 30, compressionMs = 250 } = {}) {
  let events = 0;
  let minLag = Infinity;
  let maxLag = -Infinity;
  let lateBursts = 0;
  let run = null;

  function closeRun() {
    if (run && (run.lastSent - run.firstSent) - (run.lastArrived - run.firstArrived) >= compressionMs) lateBursts += 1;
    run = null;
  }

  return {
    onToken(sentAt, arrivedAt) {
      if (!Number.isFinite(sentAt) || !Number.isFinite(arrivedAt)) return;
      events += 1;
      const lag = arrivedAt - sentAt;
      minLag = Math.min(minLag, lag);
      maxLag = Math.max(maxLag, lag);
      if (run && arrivedAt - run.lastArrived <= burstGapMs) {
        run.lastArrived = arrivedAt;
        run.lastSent = sentAt;
      } else {
        closeRun();
        run = { firstSent: sentAt, lastSent: sentAt, firstArrived: arrivedAt, lastArrived: arrivedAt };
      }
    },
    result() {
      closeRun();
      return {
        events,
        maxLagMs: events ? Math.round(maxLag - minLag) : 0,
        lateBursts,
        bufferingSuspected: lateBursts > 0,
      };
    },
  };
}
