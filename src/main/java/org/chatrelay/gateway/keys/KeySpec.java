package org.chatrelay.gateway.keys;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an admin asks for when creating a key, checked: from the admin API's JSON
 * ({@code {"name", "owner"?, "models"?, "rpm"?, "maxStreams"?, "dailyBudgetUsd"?, "monthlyBudgetUsd"?, "expiresAt"?,
 * "storeContent"?}}) or from the admin page's form (the same names; models separated by commas or whitespace).
 */
public record KeySpec(String name, String owner, List<String> models, Integer rpm, Integer maxStreams,
                      Long dailyBudgetMicros, Long monthlyBudgetMicros, Instant expiresAt, boolean storeContent) {
    static final int MAX_NAME = 100;
    static final int MAX_MODELS = 50;
    static final int MAX_MODEL_CHARS = 100;
    /** A million dollars a day is no limit anyone means; larger numbers are typos. */
    static final BigDecimal MAX_BUDGET_USD = BigDecimal.valueOf(1_000_000);
    public static final Set<String> FIELDS = Set.of("name", "owner", "models", "rpm", "maxStreams", "dailyBudgetUsd",
            "monthlyBudgetUsd", "expiresAt", "storeContent");

    public KeySpec {
        models = List.copyOf(models);
    }

    public static KeySpec fromJson(JsonNode body, Instant now) {
        if (body == null || !body.isObject()) {
            throw new BadKeySpecException("body", "expected a JSON object");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new BadKeySpecException(field, "unknown field; known: " + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        List<String> models = new ArrayList<>();
        JsonNode list = present(body, "models");
        if (list != null) {
            if (!list.isArray()) {
                throw new BadKeySpecException("models", "expected an array of model names");
            }
            for (JsonNode m : list) {
                if (!m.isTextual()) {
                    throw new BadKeySpecException("models", "expected an array of model names");
                }
                models.add(m.asText());
            }
        }
        JsonNode store = present(body, "storeContent");
        if (store != null && !store.isBoolean()) {
            throw new BadKeySpecException("storeContent", "expected true or false");
        }
        return new KeySpec(name(text(body, "name")), owner(text(body, "owner")), models(models),
                count("rpm", integer(body, "rpm")), count("maxStreams", integer(body, "maxStreams")),
                budget("dailyBudgetUsd", decimal(body, "dailyBudgetUsd")), budget("monthlyBudgetUsd", decimal(body, "monthlyBudgetUsd")),
                expiry(text(body, "expiresAt"), now), store != null && store.booleanValue());
    }

    /** From the admin page's form; empty fields mean "not set". */
    public static KeySpec fromForm(Map<String, String[]> form, Instant now) {
        String models = param(form, "models");
        return new KeySpec(name(param(form, "name")), owner(param(form, "owner")),
                models(models == null ? List.of() : List.of(models.trim().split("[,\\s]+"))),
                count("rpm", parseInteger("rpm", param(form, "rpm"))), count("maxStreams", parseInteger("maxStreams", param(form, "maxStreams"))),
                budget("dailyBudgetUsd", parseDecimal("dailyBudgetUsd", param(form, "dailyBudgetUsd"))),
                budget("monthlyBudgetUsd", parseDecimal("monthlyBudgetUsd", param(form, "monthlyBudgetUsd"))),
                expiry(param(form, "expiresAt"), now), "on".equals(param(form, "storeContent")) || "true".equals(param(form, "storeContent")));
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw new BadKeySpecException("name", "required: a name that says what the key is for");
        }
        return checkedText("name", name.strip());
    }

    private static String owner(String owner) {
        return owner == null || owner.isBlank() ? null : checkedText("owner", owner.strip());
    }

    private static String checkedText(String field, String value) {
        if (value.length() > MAX_NAME) {
            throw new BadKeySpecException(field, "at most " + MAX_NAME + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new BadKeySpecException(field, "no control characters");
        }
        return value;
    }

    private static List<String> models(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        for (String n : names) {
            String m = n.strip();
            if (m.isEmpty()) {
                continue;
            }
            if (m.length() > MAX_MODEL_CHARS || m.chars().anyMatch(c -> Character.isISOControl(c) || Character.isWhitespace(c) || c == ',')) {
                throw new BadKeySpecException("models", "a model name has 1-" + MAX_MODEL_CHARS + " characters, no spaces or commas");
            }
            out.add(m);
        }
        if (out.size() > MAX_MODELS) {
            throw new BadKeySpecException("models", "at most " + MAX_MODELS + " models");
        }
        return List.copyOf(out);
    }

    private static Integer count(String field, Integer value) {
        if (value != null && value < 1) {
            throw new BadKeySpecException(field, "a positive whole number, or leave it out for no limit");
        }
        return value;
    }

    private static Long budget(String field, BigDecimal usd) {
        if (usd == null) {
            return null;
        }
        if (usd.signum() <= 0 || usd.compareTo(MAX_BUDGET_USD) > 0) {
            throw new BadKeySpecException(field, "US dollars above 0 and at most " + MAX_BUDGET_USD + ", or leave it out for no budget");
        }
        // Micro-dollars, like answer_usage.cost_micros; a finer fraction of a cent than that is no budget anyone sets.
        return usd.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static Instant expiry(String text, Instant now) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Instant at;
        try {
            at = text.strip().length() == 16 ? OffsetDateTime.parse(text.strip() + ":00Z").toInstant() // <input type=datetime-local>, read as UTC
                    : OffsetDateTime.parse(text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadKeySpecException("expiresAt", "an ISO-8601 time with offset, e.g. 2030-01-31T00:00:00Z");
        }
        if (!at.isAfter(now)) {
            throw new BadKeySpecException("expiresAt", "must be in the future");
        }
        return at;
    }

    private static JsonNode present(JsonNode body, String field) {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = present(body, field);
        if (v != null && !v.isTextual()) {
            throw new BadKeySpecException(field, "expected a string");
        }
        return v == null ? null : v.asText();
    }

    private static Integer integer(JsonNode body, String field) {
        JsonNode v = present(body, field);
        if (v != null && !(v.isIntegralNumber() && v.canConvertToInt())) {
            throw new BadKeySpecException(field, "expected a whole number");
        }
        return v == null ? null : v.intValue();
    }

    private static BigDecimal decimal(JsonNode body, String field) {
        JsonNode v = present(body, field);
        if (v != null && !v.isNumber()) {
            throw new BadKeySpecException(field, "expected a number of US dollars");
        }
        return v == null ? null : v.decimalValue();
    }

    private static String param(Map<String, String[]> form, String name) {
        String[] values = form.get(name);
        return values == null || values.length == 0 || values[0].isBlank() ? null : values[0];
    }

    private static Integer parseInteger(String field, String text) {
        try {
            return text == null ? null : Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new BadKeySpecException(field, "expected a whole number");
        }
    }

    private static BigDecimal parseDecimal(String field, String text) {
        try {
            return text == null ? null : new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new BadKeySpecException(field, "expected a number of US dollars");
        }
    }
}
