// The "Thinking…" section of an answer: the model's reasoning, streamed live in a muted,
// collapsible block above the answer, folded to "Thought for 12 s" once the answer text
// starts. Reasoning is model output: it only ever becomes Text nodes, never markup.
// chat.html renders a stored answer's section with the same words (thoughtFor).

/** "Thought for 12 s" (one decimal under a second); the same words as Transcript.MessageView.thoughtFor(). */
export function thoughtFor(ms) {
  // Tenths as integers, so the rounding is the same as Java's Math.round on the server.
  const tenths = Math.round(ms / 100);
  return `Thought for ${ms < 1000 ? `${Math.floor(tenths / 10)}.${tenths % 10}` : Math.round(ms / 1000)} s`;
}

/** "Thinking… 3 s" while the model thinks. */
export function thinkingFor(ms) {
  return `Thinking… ${Math.floor(ms / 1000)} s`;
}

export class ThinkingSection {
  /** @param {HTMLElement} before the answer's text block: the section goes right above it */
  constructor(before) {
    this.startedAt = performance.now();
    this.endedAt = null;
    this.el = document.createElement('details');
    this.el.className = 'thinking';
    this.el.open = true;
    this.el.dataset.state = 'thinking';
    this.summaryEl = document.createElement('summary');
    this.summaryEl.textContent = thinkingFor(0);
    this.textEl = document.createElement('div');
    this.textEl.className = 'reasoning';
    this.textNode = document.createTextNode('');
    this.textEl.append(this.textNode);
    this.el.append(this.summaryEl, this.textEl);
    before.before(this.el);
  }

  /** Reasoning between answer tokens goes into the same section, folded or not. */
  append(text) {
    this.textNode.appendData(text);
  }

  /** Called by the live stats timer: the elapsed thinking time. */
  tick() {
    if (this.endedAt == null) this.summaryEl.textContent = thinkingFor(performance.now() - this.startedAt);
  }

  /** The answer text started: fold, with the time measured here until the server's figure arrives. */
  fold() {
    if (this.endedAt != null) return;
    this.endedAt = performance.now();
    this.el.open = false;
    this.el.dataset.state = 'done';
    this.summaryEl.textContent = thoughtFor(this.endedAt - this.startedAt);
  }

  /** The answer ended: fold (a Stop or an error during thinking too) and show the stored thinking time. */
  finish(thinkingMs) {
    this.fold();
    if (typeof thinkingMs === 'number' && Number.isFinite(thinkingMs)) this.summaryEl.textContent = thoughtFor(thinkingMs);
  }
}
