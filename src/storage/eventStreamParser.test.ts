// The event-stream reader against the rules browsers' EventSource follows, fed whole and cut at every place.
import { describe, expect, it } from "vitest";
import { createEventStreamParser, type StreamEvent } from "./eventStreamParser";

/** Everything `chunks` give, fed one after the other and ended. */
function parse(...chunks: string[]): { events: StreamEvent[]; retries: number[] } {
  const events: StreamEvent[] = [];
  const retries: number[] = [];
  const parser = createEventStreamParser({ onEvent: (e) => events.push(e), onRetry: (ms) => retries.push(ms) });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return { events, retries };
}

/** `text` cut into pieces of `size` characters. */
const pieces = (text: string, size: number) =>
  Array.from({ length: Math.ceil(text.length / size) }, (_, i) => text.slice(i * size, (i + 1) * size));

const message = (data: string, lastEventId = ""): StreamEvent => ({ type: "message", data, lastEventId });

describe("event stream parser", () => {
  it("ends lines with LF, CRLF or a lone CR, mixed in one stream", () => {
    const { events } = parse("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\r\n\n");
    expect(events).toEqual([message("a"), message("b"), message("c"), message("d")]);
  });

  it("gives the same events however the text is cut, a CR and its LF in different pieces included", () => {
    const stream =
      "\ufeff: hello\r\nid: 1\r\nevent: change\r\ndata: x\r\ndata:  y\r\n\r\ndata\rdata: z\r\rretry: 250\n\ndata: é🙂\n\n";
    const whole = parse(stream);
    expect(whole.events).toEqual([
      { type: "change", data: "x\n y", lastEventId: "1" },
      message("\nz", "1"),
      message("é🙂", "1"),
    ]);
    expect(whole.retries).toEqual([250]);
    for (let size = 1; size <= 7; size++) expect(parse(...pieces(stream, size)), `size ${size}`).toEqual(whole);
    expect(parse("data: a\r", "\n", "\r\n")).toEqual(parse("data: a\r\n\r\n"));
    expect(parse("data: a\r", "", "\ndata: b\n\n").events).toEqual([message("a\nb")]);
  });

  it("joins data lines with LF, takes one space off a value and keeps the rest", () => {
    expect(parse("data:a\ndata:  b\ndata\ndata:\n\n").events).toEqual([message("a\n b\n\n")]);
    expect(parse('data: {"k": 1}\n\n').events).toEqual([message('{"k": 1}')]);
  });

  it("skips comments, unknown fields and events without data; an empty data line is an event", () => {
    expect(parse(": ping\n\n:\n\nfoo: bar\n\nevent: x\n\n").events).toEqual([]);
    expect(parse("data\n\n").events).toEqual([message("")]);
    // The type of a dropped event does not carry over.
    expect(parse("event: x\n\ndata: a\n\n").events).toEqual([message("a")]);
  });

  it("names events by event:, for that event only", () => {
    expect(parse("event: stack\ndata: a\n\ndata: b\n\n").events).toEqual([
      { type: "stack", data: "a", lastEventId: "" },
      message("b"),
    ]);
  });

  it("keeps the last id: for later events, ignores an id holding NUL, and clears it with an empty id", () => {
    const { events } = parse("id: 5\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n");
    expect(events).toEqual([message("a", "5"), message("b", "5"), message("c", "5"), message("d", "")]);
  });

  it("reports retry: of digits only", () => {
    expect(parse("retry: 1000\nretry: 1e3\nretry: -1\nretry:  5\nretry: 0\n\n").retries).toEqual([1000, 0]);
  });

  it("drops one leading BOM only, and a partial event when the stream ends", () => {
    expect(parse("\ufeffdata: a\n\n").events).toEqual([message("a")]);
    // A second BOM belongs to the first field's name, which is then unknown.
    expect(parse("\ufeff\ufeffdata: a\n\n").events).toEqual([]);
    expect(parse("", "\ufeffdata: a\n\n").events).toEqual([message("a")]);
    expect(parse("data: a\n").events).toEqual([]);
    expect(parse("data: a\n\ndata: b").events).toEqual([message("a")]);
  });
});
