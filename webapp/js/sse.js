// Server-sent events parser: a pure ES module with no DOM dependency, so it runs
// both in the browser (chat.js) and under `node --test`.
//
// Three stages, as in eventsource-parser v3 and the WHATWG HTML spec
// ("Server-sent events", 9.2.6 "Parsing an event stream" and
// "Interpreting an event stream"):
//   1. lines:  split decoded text on CRLF, LF or CR, holding state across chunks;
//   2. fields: split one line into a comment or a (name, value) pair;
//   3. events: apply the field to the event buffers, dispatch on a blank line.
//
// Input is text. The caller decodes bytes with ONE streaming decoder for the
// whole body: `new TextDecoder('utf-8', { ignoreBOM: true })` + `{ stream: true }`.
// ignoreBOM keeps the BOM in the text so that this parser drops exactly one
// (a default TextDecoder would drop the first and we would then drop a second).

/** Largest partial line or event data we buffer, in UTF-16 code units (~1 MiB). */
export const DEFAULT_MAX_BUFFER_SIZE = 1024 * 1024;

const BOM = '\uFEFF';
const DIGITS_ONLY = /^[0-9]+$/;

/**
 * One error type with a reason, as in eventsource-parser:
 * 'max-buffer-size-exceeded' is thrown from feed() (fatal: the caller aborts the
 * stream); 'invalid-retry' and 'unknown-field' are only reported to onError.
 */
export class ParseError extends Error {
  constructor(message, { reason, field, value, line } = {}) {
    super(message);
    this.name = 'ParseError';
    this.reason = reason;
    this.field = field;
    this.value = value;
    this.line = line;
  }
}

/**
 * Stage 2 on its own: one line (without its terminator) to a field.
 * @param {string} line
 * @returns {{comment: string} | {name: string, value: string}}
 */
export function parseField(line) {
  // Spec: "If the line starts with a U+003A COLON character (:) — Ignore the line."
  // We still report it: a heartbeat comment is proof of liveness.
  if (line.charCodeAt(0) === 0x3a) {
    return { comment: line.startsWith(': ') ? line.slice(2) : line.slice(1) };
  }
  const colon = line.indexOf(':');
  // Spec: "Otherwise, the string is not empty but does not contain a U+003A COLON
  // character (:) — process the field using the whole line as the field name,
  // and the empty string as the field value."
  if (colon === -1) return { name: line, value: '' };
  // Spec: name = characters before the first colon; value = characters after it,
  // "If value starts with a U+0020 SPACE character, remove it from value."
  let value = line.slice(colon + 1);
  if (value.charCodeAt(0) === 0x20) value = value.slice(1);
  return { name: line.slice(0, colon), value };
}

/**
 * @param {object} callbacks
 * @param {(event: {type: string, data: string, id: string}) => void} [callbacks.onEvent]
 * @param {(comment: string) => void} [callbacks.onComment]
 * @param {(retryMs: number) => void} [callbacks.onRetry]
 * @param {(error: ParseError) => void} [callbacks.onError] non-fatal notes only
 * @param {number} [callbacks.maxBufferSize]
 * @returns {{feed(chunk: string): void, end(): boolean, reset(): void}}
 */
export function createParser({
  onEvent = () => {},
  onComment = () => {},
  onRetry = () => {},
  onError = () => {},
  maxBufferSize = DEFAULT_MAX_BUFFER_SIZE,
} = {}) {
  // Stage 1 state. The regex is per parser: its lastIndex is our scan position.
  const LINE_END = /[\r\n]/g;
  let partialLine = '';
  let skipLeadingLf = false; // the previous chunk ended in CR: a leading LF completes that CRLF
  let bomChecked = false;
  // Stage 3 state (the spec's three buffers).
  let data = '';
  let eventType = '';
  let lastEventId = '';

  function tooLarge(what, size) {
    // Drop what we hold before throwing: an oversized stream must not pin memory.
    clearBuffers();
    return new ParseError(`${what} exceeds ${maxBufferSize} characters (got ${size})`, {
      reason: 'max-buffer-size-exceeded',
    });
  }

  function clearBuffers() {
    partialLine = '';
    data = '';
    eventType = '';
  }

  // ---- Stage 1: lines -----------------------------------------------------
  function feed(chunk) {
    if (typeof chunk !== 'string') throw new TypeError('feed() takes decoded text');
    if (chunk.length === 0) return; // a streaming decoder yields '' for a split code point
    let start = 0;
    if (!bomChecked) {
      bomChecked = true;
      // Spec: "One leading U+FEFF BYTE ORDER MARK character must be ignored if any are present."
      if (chunk.charCodeAt(0) === 0xfeff) start = 1;
    }
    if (skipLeadingLf) {
      skipLeadingLf = false;
      if (chunk.charCodeAt(start) === 0x0a) start += 1;
    }

    LINE_END.lastIndex = start;
    let match;
    while ((match = LINE_END.exec(chunk)) !== null) {
      const end = match.index;
      let line = chunk.slice(start, end);
      if (partialLine) {
        line = partialLine + line;
        partialLine = '';
      }
      if (line.length > maxBufferSize) throw tooLarge('line', line.length);
      start = end + 1;
      if (chunk.charCodeAt(end) === 0x0d) {
        if (start === chunk.length) {
          // A CR as the last character of a chunk is a line end whatever comes
          // next; only an LF at the start of the next chunk must be swallowed.
          skipLeadingLf = true;
        } else if (chunk.charCodeAt(start) === 0x0a) {
          start += 1;
        }
        LINE_END.lastIndex = start;
      }
      processLine(line);
    }
    if (start < chunk.length) {
      const size = partialLine.length + chunk.length - start;
      if (size > maxBufferSize) throw tooLarge('line', size);
      partialLine += chunk.slice(start);
    }
  }

  // ---- Stage 2: fields ----------------------------------------------------
  function processLine(line) {
    // Spec: "If the line is empty (a blank line) — Dispatch the event."
    if (line === '') {
      dispatch();
      return;
    }
    const field = parseField(line);
    if ('comment' in field) {
      onComment(field.comment);
      return;
    }
    applyField(field.name, field.value, line);
  }

  // ---- Stage 3: events ----------------------------------------------------
  function applyField(name, value, line) {
    // Field names are case-sensitive: "Data" is an unknown field.
    switch (name) {
      case 'data': {
        // Spec: "Append the field value to the data buffer, then append a single
        // U+000A LINE FEED (LF) character to the data buffer."
        const size = data.length + value.length + 1;
        if (size > maxBufferSize) throw tooLarge('event data', size);
        data += value + '\n';
        return;
      }
      case 'event':
        // Spec: "Set the event type buffer to the field value."
        eventType = value;
        return;
      case 'id':
        // Spec: "If the field value does not contain U+0000 NULL, then set the
        // last event ID buffer to the field value. Otherwise, ignore the field."
        if (!value.includes('\0')) lastEventId = value;
        return;
      case 'retry':
        // Spec: "If the field value consists of only ASCII digits, then interpret
        // the field value as an integer in base ten [...]. Otherwise, ignore the field."
        if (DIGITS_ONLY.test(value)) {
          onRetry(parseInt(value, 10));
        } else {
          onError(new ParseError(`invalid retry value: ${JSON.stringify(value)}`, {
            reason: 'invalid-retry', field: name, value, line,
          }));
        }
        return;
      default:
        // Spec: "Otherwise — The field is ignored." Never fatal.
        onError(new ParseError(`unknown field: ${JSON.stringify(name.slice(0, 64))}`, {
          reason: 'unknown-field', field: name, value, line,
        }));
    }
  }

  function dispatch() {
    // Spec step 2: "If the data buffer is an empty string, set the data buffer and
    // the event type buffer to the empty string and return."
    if (data === '') {
      eventType = '';
      return;
    }
    // Spec step 3: "If the data buffer's last character is a U+000A LINE FEED (LF)
    // character, then remove the last character from the data buffer."
    const event = {
      type: eventType || 'message',
      data: data.slice(0, -1),
      // The last event ID buffer is not reset on dispatch: it sticks to later events.
      id: lastEventId,
    };
    data = '';
    eventType = '';
    onEvent(event);
  }

  /**
   * End of stream. Spec: "Once the end of the file is reached, any pending data
   * must be discarded. (If the file ends in the middle of an event, before the
   * final empty line, the incomplete event is not dispatched.)"
   * @returns {boolean} whether a partial line or undispatched fields were dropped
   */
  function end() {
    const discarded = partialLine !== '' || data !== '' || eventType !== '';
    clearBuffers();
    skipLeadingLf = false;
    bomChecked = false; // a new stream on this parser may start with its own BOM
    return discarded;
  }

  /** Forget everything, including the last event ID: ready for an unrelated stream. */
  function reset() {
    end();
    lastEventId = '';
  }

  return { feed, end, reset };
}
