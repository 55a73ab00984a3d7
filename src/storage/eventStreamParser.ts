// A `text/event-stream` body read as browsers' EventSource reads it (WHATWG HTML, "Interpreting an event stream"):
// lines end with CRLF, LF or a lone CR, in any chunking (a CR at the end of one chunk and an LF at the start of the
// next are one line end); one leading BOM is dropped; `:` lines are comments; `data:` lines join with LF into one
// event, sent at a blank line; `event:` names it ("message" otherwise), `id:` sets the last event id (unless it
// holds U+0000), `retry:` of digits only asks for a reconnection time; other fields are ignored. One space after
// the colon is not part of the value. A partial event when the stream ends is dropped.

/** One event of the stream. */
export interface StreamEvent {
  /** The `event:` field; "message" when the event had none. */
  type: string;
  /** The `data:` lines, joined with LF. */
  data: string;
  /** The last `id:` seen so far, this event's or an earlier one's ("" before any). */
  lastEventId: string;
}

export interface EventStreamHandlers {
  onEvent(event: StreamEvent): void;
  /** A `retry:` field: the reconnection time, in ms, that the server asks for. */
  onRetry?(ms: number): void;
}

export interface EventStreamParser {
  /** The next piece of decoded text, cut anywhere. */
  feed(text: string): void;
  /** The stream ended: an event not yet closed by a blank line is dropped, and the parser starts afresh. */
  end(): void;
}

const LF = 10;
const CR = 13;

export function createEventStreamParser(handlers: EventStreamHandlers): EventStreamParser {
  /** Text after the last line end seen. */
  let partial = "";
  let started = false;
  /** The last piece ended with CR: an LF opening the next one belongs to that line end. */
  let afterCR = false;
  let data = "";
  let type = "";
  let idBuffer = "";
  let lastEventId = "";

  function dispatch(): void {
    lastEventId = idBuffer;
    if (data === "") {
      type = "";
      return;
    }
    const event: StreamEvent = { type: type || "message", data: data.slice(0, -1), lastEventId };
    data = "";
    type = "";
    handlers.onEvent(event);
  }

  function line(text: string): void {
    if (text === "") {
      dispatch();
      return;
    }
    if (text.charCodeAt(0) === 0x3a) return; // ":" starts a comment
    const colon = text.indexOf(":");
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? "" : text.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case "data":
        data += `${value}\n`;
        break;
      case "event":
        type = value;
        break;
      case "id":
        if (!value.includes("\0")) idBuffer = value;
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) handlers.onRetry?.(Number(value));
        break;
    }
  }

  return {
    feed(text) {
      let chunk = text;
      if (!started && chunk.length > 0) {
        started = true;
        if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      }
      if (afterCR && chunk.length > 0) {
        afterCR = false;
        if (chunk.charCodeAt(0) === LF) chunk = chunk.slice(1);
      }
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk.charCodeAt(i);
        if (c !== LF && c !== CR) continue;
        const piece = chunk.slice(start, i);
        line(partial === "" ? piece : partial + piece);
        partial = "";
        if (c === CR) {
          if (i + 1 === chunk.length) afterCR = true;
          else if (chunk.charCodeAt(i + 1) === LF) i++;
        }
        start = i + 1;
      }
      partial += chunk.slice(start);
    },
    end() {
      partial = "";
      started = false;
      afterCR = false;
      data = "";
      type = "";
    },
  };
}
