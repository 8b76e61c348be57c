package org.chatrelay.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canned upstream streams, as OpenAI chat.completion.chunk frames. Scenarios:
 * normal ("Hello world", usage 12/3, [DONE]); slow:N:ms (N tokens); forever:_:ms (tokens until aborted);
 * cut (3 tokens, then the connection drops); error (2 tokens, then an error object); finishnodone (finish_reason,
 * usage, no [DONE]); hang (headers only); length (finish_reason length); nul (a NUL byte in the text);
 * xss (model output that is HTML: an img with onerror and a script element, to check the page shows it as text).
 */
final class Script {
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
