package org.chatrelay.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The canned upstream streams, written in either dialect by {@link Frames}. Scenarios:
 * normal ("Hello world", usage 12/3, terminator); slow:N:ms (N tokens); forever:_:ms (tokens until aborted);
 * cut (3 tokens, then the connection drops); error (2 tokens, then an error object); finishnodone (finish reason,
 * usage, no terminator); hang (headers only); length (finish reason length); nul (a NUL byte in the text);
 * xss (model output that is HTML: an img with onerror and a script element, to check the page shows it as text);
 * errorfirst (an overloaded error before any text, then the connection drops); stall (2 tokens, then silence with
 * the connection open); malformed (1 token, then a chunk that is not JSON); emptycut (no text, then the connection drops).
 */
final class Script {
    enum Kind { FRAME, END, CUT, HANG }

    record Step(Kind kind, byte[] bytes) {
    }

    private final List<Step> steps;
    private final Frames frames;
    private final boolean endless;

    private Script(List<Step> steps, Frames frames, boolean endless) {
        this.steps = steps;
        this.frames = frames;
        this.endless = endless;
    }

    Step step(int i) {
        if (i < steps.size()) {
            return steps.get(i);
        }
        return endless ? frame(frames.text("tick ")) : new Step(Kind.END, null);
    }

    static Script of(String scenario, int a, int b, Frames f) {
        List<Step> s = new ArrayList<>();
        f.begin().forEach(x -> s.add(frame(x)));
        switch (scenario) {
            case "slow" -> {
                for (int i = 0; i < (a > 0 ? a : 10); i++) {
                    s.add(frame(f.text("t" + i + " ")));
                }
                finish(s, f, "stop", true);
            }
            case "forever" -> {
                return new Script(s, f, true);
            }
            case "cut" -> {
                s.add(frame(f.text("One ")));
                s.add(frame(f.text("two ")));
                s.add(frame(f.text("three")));
                s.add(new Step(Kind.CUT, null));
            }
            case "error" -> {
                s.add(frame(f.text("Partial ")));
                s.add(frame(f.text("answer")));
                s.add(frame(f.error("server_error", "upstream failed")));
                s.add(new Step(Kind.CUT, null));
            }
            case "errorfirst" -> {
                s.add(frame(f.error("overloaded_error", "Overloaded")));
                s.add(new Step(Kind.CUT, null));
            }
            case "stall" -> {
                s.add(frame(f.text("Stalled ")));
                s.add(frame(f.text("here")));
                s.add(new Step(Kind.HANG, null));
            }
            case "malformed" -> {
                s.add(frame(f.text("Before ")));
                s.add(frame(f.malformed()));
                s.add(frame(f.text("after")));
                finish(s, f, "stop", true);
            }
            case "emptycut" -> s.add(new Step(Kind.CUT, null));
            case "finishnodone" -> {
                s.add(frame(f.text("Almost")));
                finish(s, f, "stop", false);
            }
            case "hang" -> s.add(new Step(Kind.HANG, null));
            case "length" -> {
                s.add(frame(f.text("Too long")));
                finish(s, f, "length", true);
            }
            case "xss" -> {
                s.add(frame(f.text("<img src=x onerror=alert(1)>")));
                s.add(frame(f.text("<script>alert(2)</script>")));
                finish(s, f, "stop", true);
            }
            case "nul" -> {
                s.add(frame(f.text("a\\u0000b")));
                finish(s, f, "stop", true);
            }
            default -> {
                s.add(frame(f.text("Hel")));
                s.add(frame(f.text("lo")));
                s.add(frame(f.text(" world")));
                finish(s, f, "stop", true);
            }
        }
        return new Script(s, f, false);
    }

    private static void finish(List<Step> s, Frames f, String reason, boolean terminator) {
        // finishnodone keeps the old shape: the usage of a stream that never said it was done is 12/1.
        f.finish(reason, 12, terminator ? 3 : 1, terminator).forEach(x -> s.add(frame(x)));
    }

    private static Step frame(String frame) {
        return new Step(Kind.FRAME, Frames.bytes(frame));
    }
}
