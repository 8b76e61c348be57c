// Pure formatting shared by the live view; chat.html renders past answers with the
// same words (format.test.mjs keeps the two in step).

/** Short notices for an answer that did not end normally; '' means no notice. */
export const END_REASON_NOTICES = Object.freeze({
  completed: '',
  sent: '',
  error: '', // the error message itself is shown instead
  length: 'length limit reached',
  user_stop: 'stopped',
  client_gone: 'connection lost — the answer is incomplete',
  upstream_error: 'upstream error — the answer is incomplete',
  upstream_cut: 'cut by upstream — incomplete',
  timeout: 'timed out — incomplete',
  interrupted: 'interrupted — incomplete',
  streaming: 'still streaming or interrupted — reload to see more',
});

/** Shown under an answer whose tokens arrived in late bursts (chat.html has the same words). */
export const BUFFERING_WARNING = 'tokens arrived in late bursts — something between you and the server buffers the stream';

/** @param {string|null|undefined} reason endReason of `done`, or a stored message status */
export function endReasonNotice(reason) {
  if (!reason) return '';
  if (Object.hasOwn(END_REASON_NOTICES, reason)) return END_REASON_NOTICES[reason];
  // A reason the server added after this file was written: show it rather than hide it.
  return reason.replaceAll('_', ' ');
}

const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);

/** '$0.000123' from a number or a decimal string, 'free' for a zero cost (not '$0.000000'); '' when unknown. */
export function formatCost(costUsd) {
  const value = typeof costUsd === 'string' && /^\d+(\.\d+)?$/.test(costUsd) ? Number(costUsd) : costUsd;
  if (!isNumber(value)) return '';
  if (value === 0) return 'free';
  return typeof costUsd === 'string' ? `$${costUsd}` : `$${value.toFixed(6)}`;
}

export const formatSeconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/**
 * Parts of the stats line while streaming (the view joins them with separators).
 * @param {{tokens: number, elapsedMs: number, firstTokenMs: number|null}} live
 *   firstTokenMs: elapsed time when the first token arrived, null before it
 */
export function liveStatsParts({ tokens, elapsedMs, firstTokenMs }) {
  const parts = [`${tokens} ${tokens === 1 ? 'token' : 'tokens'}`, formatSeconds(elapsedMs)];
  const generatingMs = firstTokenMs == null ? 0 : elapsedMs - firstTokenMs;
  if (tokens > 1 && generatingMs >= 100) {
    parts.push(`${(tokens / (generatingMs / 1000)).toFixed(1)} tok/s`);
  }
  return parts;
}

/**
 * Parts of the stats line after `done`, or for a stored answer's metrics.
 * @returns {{parts: string[], estimated: boolean}}
 */
export function finalStatsParts({ ttftMs, clientTtftMs, totalMs, tokensPerSecond, costUsd, usageSource }) {
  const parts = [];
  if (isNumber(ttftMs)) parts.push(`TTFT ${Math.round(ttftMs)} ms`);
  // The end of the latency chain: from the Send click to the first token on screen.
  if (isNumber(clientTtftMs)) parts.push(`first paint ${Math.round(clientTtftMs)} ms`);
  if (isNumber(totalMs)) parts.push(`total ${(totalMs / 1000).toFixed(2)} s`);
  if (isNumber(tokensPerSecond)) parts.push(`${tokensPerSecond.toFixed(1)} tok/s`);
  const cost = formatCost(costUsd);
  if (cost) parts.push(cost);
  return { parts, estimated: usageSource === 'estimated' };
}

/** The fields of a `done` event in the shape finalStatsParts takes. */
export function metricsFromDone(done) {
  return {
    ttftMs: done.ttftMs,
    totalMs: done.totalMs,
    tokensPerSecond: done.tokensPerSecond,
    costUsd: done.costUsd,
    usageSource: done.usage?.source,
  };
}
