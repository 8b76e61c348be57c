package org.chatrelay.upstream.sse;

import static org.chatrelay.upstream.sse.SseCase.BOM;
import static org.chatrelay.upstream.sse.SseCase.event;
import static org.chatrelay.upstream.sse.SseCase.join;
import static org.chatrelay.upstream.sse.SseCase.message;
import static org.chatrelay.upstream.sse.SseCase.raw;
import static org.chatrelay.upstream.sse.SseCase.row;

import java.util.List;

/** Cases 1-23 and 25 of docs/sse-conformance.md (case 24 needs its own limits: SseDecoderLimitsTest). */
final class SseConformanceTable {

    private SseConformanceTable() {
    }

    static List<SseCase> cases() {
        return List.of(
                // 1-4: line endings
                row("01 one data line and a blank line give one message", "data: hi\n\n")
                        .events(message("hi")),
                row("02 CRLF line endings join two data lines", "data: a\r\ndata: b\r\n\r\n")
                        .events(message("a\nb")),
                row("03 lone CR line endings everywhere", "data: a\rdata: b\r\r")
                        .events(message("a\nb")),
                row("04 CRLF, LF and CR endings mixed inside one event", "event: t\r\ndata: 1\ndata: 2\r\r\n")
                        .events(event("t", "1\n2", "")),
                // 5-7: a CR at a chunk boundary
                row("05 CRLF split across chunks is one line ending, not two",
                        "data: a\r", "\n", "data: b\r\n", "\r\n")
                        .events(message("a\nb")),
                row("06 a blank line split as CR, CR, LF dispatches once", "data: one\r", "\r", "\n")
                        .events(message("one")),
                row("07 a held CR that really ended the line keeps the next line", "data: a\r", "data: b\n\n")
                        .events(message("a\nb")),
                // 8-9: byte order marks
                row("08 a leading BOM is dropped", join(BOM, "data: x\n\n"))
                        .events(message("x")),
                row("08 a leading BOM split across chunks is still dropped",
                        raw(0xEF), join(raw(0xBB, 0xBF), "data: 1\n\ndata: 2\n\n"))
                        .events(message("1"), message("2")),
                row("08 a leading BOM prefix that is not a BOM stays content", join(raw(0xEF, 0xBB), ":\ndata: x\n\n"))
                        .events(message("x")),
                row("09 a second BOM is content, so the first line is an unknown field",
                        join(BOM, BOM, "data: 1\n\ndata: 2\n\n"))
                        .events(message("2")),
                row("09 a BOM in mid-stream turns its line into an unknown field",
                        join("data: a\n\n", BOM, "data: b\n\ndata: c\n\n"))
                        .events(message("a"), message("c")),
                // 10-16: fields
                row("10 comments of every shape are ignored but reported", ": hb\n\n:\n::::\n: x:y\ndata: z\n\n")
                        .events(message("z")).comments(" hb", "", ":::", " x:y"),
                row("10 blank lines with nothing buffered emit nothing", "\n\n\n\ndata: z\n\n")
                        .events(message("z")),
                row("11 a bare data name has an empty value", "data\n\n")
                        .events(message("")),
                row("11 two bare data lines give one LF", "data\ndata\n\n")
                        .events(message("\n")),
                row("11 data with a colon and nothing after it is empty", "data:\n\n")
                        .events(message("")),
                row("12 an event type without data is not dispatched", "event: only\n\n"),
                row("12 an id without data is not dispatched but is remembered", "id: 3\n\n")
                        .lastEventId("3"),
                row("13 no space after the colon", "data:x\n\n")
                        .events(message("x")),
                row("13 one space after the colon is removed", "data: x\n\n")
                        .events(message("x")),
                row("13 only one leading space is removed", "data:  x\n\n")
                        .events(message(" x")),
                row("13 everything after the first colon is the value", "data: {\"k\":\"a:b\"}\n\n")
                        .events(message("{\"k\":\"a:b\"}")),
                row("14 an empty data line is kept and only the final LF removed", "data: l1\ndata:\ndata: l3\n\n")
                        .events(message("l1\n\nl3")),
                row("15 the event type resets after each dispatch",
                        "event: delta\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n")
                        .events(event("delta", "1", ""), message("2"), message("3")),
                row("16 field names are case-sensitive", "Data: x\n\nDATA:x\n\n"),
                row("16 a leading space makes an unknown field", " data: x\n\n"),
                row("16 unknown fields are ignored, never fatal", "foo: bar\ndata: ok\njunk\n\n")
                        .events(message("ok")),
                // 17-19: id, NUL, retry
                row("17 the last event id sticks until changed and a bare id clears it",
                        "id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n")
                        .events(event("message", "a", "7"), event("message", "b", "7"), event("message", "c", "")),
                row("17 an id containing NUL is ignored", "id: 5\nid: x\0y\ndata: q\n\n")
                        .events(event("message", "q", "5")).lastEventId("5"),
                row("18 NUL in data is kept", "data: \0\n\n")
                        .events(message("\0")),
                row("19 only an all-digit retry is accepted",
                        "retry: 1500\nretry: 15x\nretry: -1\nretry: +5\nretry:\n"
                                + "retry: 99999999999999999999\ndata: r\n\n")
                        .events(message("r")).retry(1500),
                // 20: end of stream
                row("20 an event without its blank line at end of stream is discarded", "data: a\n\ndata: b")
                        .events(message("a")),
                row("20 a data line without its blank line at end of stream is discarded", "data: b\n"),
                // 21-23: UTF-8
                row("21 code points cut across chunks decode whole",
                        join("data: ", raw(0xC3)), raw(0xA9, 0xE2, 0x82), raw(0xAC, 0xF0, 0x9F),
                        join(raw(0x98, 0x80), "\n\n"))
                        .events(message("é€😀")),
                row("22 invalid UTF-8 becomes U+FFFD without an exception", join("data: ", raw(0xFF, 0xFE), "\n\n"))
                        .events(message("\uFFFD\uFFFD")),
                row("22 an encoded surrogate is one U+FFFD per byte, as the Encoding standard says",
                        join("data: ", raw(0xED, 0xA0, 0x80), "x\n\n"))
                        .events(message("\uFFFD\uFFFD\uFFFDx")),
                row("22 a code point cut short by the line end is one U+FFFD",
                        join("data: ", raw(0xF0, 0x9F, 0x98), "\n\n"))
                        .events(message("\uFFFD")),
                row("23 U+2028, U+2029 and U+0085 are data, not line breaks",
                        "data: {\"t\":\"a\u2028b\u2029c\u0085d\"}\n\n")
                        .events(message("{\"t\":\"a\u2028b\u2029c\u0085d\"}")),
                // 25: not SSE at all
                row("25 a JSON body without SSE framing gives nothing", "{\"error\":\"x\"}"),
                row("25 a JSON body with a trailing LF is one ignored unknown field", "{\"error\":\"x\"}\n"));
    }
}
