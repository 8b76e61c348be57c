package org.chatrelay.admin.bench;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Realistic synthetic chat usage, deterministic for a seed: weekday/weekend and day/night rhythms, slow growth,
 * a skewed visitor population, conversations of a few turns with growing prompts, three models with their own
 * speed and price, a 15% canary arm that is slightly slower, and the rare stops, cuts, errors and timeouts of
 * real traffic. Latencies are log-normal, as measured TTFTs are.
 */
final class SyntheticUsage {
    record Model(String name, String provider, double ttftMedianMs, double tokensPerSecond, long inMicrosPerMillion, long outMicrosPerMillion) {
    }

    static final Model[] MODELS = {
        new Model("claude-sonnet-4-5", "api.anthropic.com", 650, 62, 3_000_000, 15_000_000),
        new Model("deepseek-v3.2", "api.deepseek.com", 480, 34, 280_000, 420_000),
        new Model("gpt-4.1-mini", "api.openai.com", 380, 85, 400_000, 1_600_000),
    };
    private static final double[] MODEL_SHARE = {0.35, 0.45, 0.20};
    private static final String[] TOPICS = {"a SQL query", "a Java stream", "my CV", "a birthday poem", "the SSE protocol",
        "a bash script", "HTTP caching", "a recipe for bread", "tax forms", "a cover letter", "regular expressions", "Kubernetes"};
    private static final String[] ASKS = {"Can you explain", "Please improve", "What is wrong with", "Write", "Summarise",
        "Translate", "How do I test", "Give me three ideas for"};

    /** One answer, as AnswerRepository.finish would have stored it. */
    record Answer(Instant startedAt, Instant endedAt, Model model, String arm, int promptTokens, int completionTokens,
                  String usageSource, long costMicros, Integer ttftMs, int totalMs, Double tokensPerSecond, Integer maxGapMs,
                  String endReason, String finishReason, String errorCode, String userText, String answerText) {
    }

    private final SplittableRandom random;
    private final int visitors;

    SyntheticUsage(long seed, int visitors) {
        this.random = new SplittableRandom(seed);
        this.visitors = visitors;
    }

    /** Relative traffic of a day: weekends at 60%, growing about 30% over a year. */
    static double dayWeight(LocalDate day, LocalDate first) {
        int dow = day.getDayOfWeek().getValue();
        double growth = 1 + 0.3 * (day.toEpochDay() - first.toEpochDay()) / 365.0;
        return (dow >= 6 ? 0.6 : 1.0) * growth;
    }

    /** A start time on {@code day}, busier in the European and American afternoons. */
    Instant timeOn(LocalDate day) {
        while (true) {
            double hour = random.nextDouble() * 24;
            double weight = 0.25 + Math.pow(Math.sin(Math.PI * (hour - 4) / 24), 2);
            if (random.nextDouble() * 1.25 < weight) {
                return day.atStartOfDay(ZoneOffset.UTC).toInstant().plusMillis((long) (hour * 3_600_000));
            }
        }
    }

    String visitor() {
        int index = (int) (visitors * Math.pow(random.nextDouble(), 2.2));
        return String.format("vis%019d", index);
    }

    UUID uuid() {
        return new UUID(random.nextLong(), random.nextLong());
    }

    int turns() {
        return 1 + (int) Math.min(15, -Math.log(1 - random.nextDouble()) * 2.5);
    }

    Model model() {
        double u = random.nextDouble();
        for (int i = 0; i < MODELS.length; i++) {
            u -= MODEL_SHARE[i];
            if (u < 0) {
                return MODELS[i];
            }
        }
        return MODELS[0];
    }

    String firstMessage() {
        return ASKS[random.nextInt(ASKS.length)] + " " + TOPICS[random.nextInt(TOPICS.length)] + "?";
    }

    Answer answer(Instant start, Model m, int turn, String userText) {
        String arm = random.nextDouble() < 0.15 ? "canary" : "main";
        double u = random.nextDouble();
        String end = u < 0.955 ? "completed" : u < 0.975 ? "user_stop" : u < 0.985 ? "client_gone" : u < 0.99 ? "length"
                : u < 0.995 ? "upstream_error" : u < 0.998 ? "upstream_cut" : "timeout";
        boolean failedEarly = end.equals("timeout") || end.equals("upstream_error") && random.nextBoolean();
        double ttftMedian = m.ttftMedianMs() * (arm.equals("canary") ? 1.08 : 1.0) * (1 + 0.02 * turn);
        Integer ttft = failedEarly ? null : (int) Math.round(ttftMedian * Math.exp(0.45 * random.nextGaussian()));
        double tps = Math.max(3, m.tokensPerSecond() * (1 + 0.15 * random.nextGaussian()));
        int completion = failedEarly ? 0 : (int) Math.min(4000, Math.round(280 * Math.exp(0.8 * random.nextGaussian())));
        if (end.equals("user_stop") || end.equals("client_gone") || end.equals("upstream_cut")) {
            completion = completion / 3;
        }
        int prompt = 40 + turn * 420 + random.nextInt(200);
        int total = end.equals("timeout") ? 60_000 : (ttft == null ? 800 + random.nextInt(4000) : ttft + (int) (completion / tps * 1000));
        String source = failedEarly ? "none" : random.nextDouble() < 0.97 ? "provider" : "estimated";
        long cost = failedEarly ? 0 : (prompt * m.inMicrosPerMillion() + completion * m.outMicrosPerMillion()) / 1_000_000;
        String error = switch (end) {
            case "upstream_error" -> random.nextBoolean() ? "upstream_5xx" : "upstream_overloaded";
            case "upstream_cut" -> "upstream_cut";
            case "timeout" -> ttft == null ? "first_token_timeout" : "idle_timeout";
            default -> null;
        };
        String finish = end.equals("completed") ? "stop" : end.equals("length") ? "length" : null;
        Integer gap = ttft == null ? null : (int) Math.round(90 * Math.exp(0.6 * random.nextGaussian()));
        return new Answer(start, start.plusMillis(total), m, arm, prompt, completion, source, cost, ttft, total,
                ttft == null ? null : Math.round(tps * 10) / 10.0, gap, end, finish, error, userText, text(completion));
    }

    String followUp() {
        return "And what about " + TOPICS[random.nextInt(TOPICS.length)] + "?";
    }

    /** Short: the report never reads message text, and H2 stores texts over 256 characters out of line, slowly. */
    private String text(int tokens) {
        StringBuilder s = new StringBuilder();
        while (s.length() < Math.min(200, tokens * 4)) {
            s.append(ASKS[random.nextInt(ASKS.length)].toLowerCase()).append(' ').append(TOPICS[random.nextInt(TOPICS.length)]).append(". ");
        }
        return s.toString();
    }

    long nextPauseMillis() {
        return 20_000 + random.nextInt(180_000);
    }
}
