package org.chatrelay.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads from one JSON object of a configuration file, where every complaint names the file and the field's
 * full path ({@code providers[1].retry.maxAttempts}), so an operator can fix it without guessing.
 */
final class JsonFields {
    private final String file;
    private final String path;
    private final JsonNode node;

    private JsonFields(String file, String path, JsonNode node) {
        this.file = file;
        this.path = path;
        this.node = node;
    }

    static JsonFields root(String file, JsonNode node) {
        JsonFields f = new JsonFields(file, "", node);
        if (node == null || !node.isObject()) {
            throw f.error("", "must be a JSON object");
        }
        return f;
    }

    /** Unknown fields are typos more often than not: refuse them instead of silently using a default. */
    JsonFields allow(Set<String> known) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw error(name, "is not a known field (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    Optional<JsonFields> object(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isObject()) {
            throw error(name, "must be a JSON object, got " + v);
        }
        return Optional.of(new JsonFields(file, at(name), v));
    }

    List<JsonFields> objects(String name, boolean required) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw error(name, "is required (a list of objects)");
            }
            return List.of();
        }
        if (!v.isArray() || v.isEmpty()) {
            throw error(name, "must be a non-empty list, got " + v);
        }
        List<JsonFields> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String itemPath = at(name) + "[" + i + "]";
            if (!item.isObject()) {
                throw new ConfigException(where(itemPath) + " must be a JSON object, got " + item);
            }
            out.add(new JsonFields(file, itemPath, item));
        }
        return out;
    }

    Iterator<String> names() {
        return node.fieldNames();
    }

    Optional<String> text(String name) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw error(name, "must be a non-empty string, got " + v);
        }
        return Optional.of(v.asText().strip());
    }

    String requiredText(String name) {
        return text(name).orElseThrow(() -> error(name, "is required"));
    }

    int integer(String name, int min, int fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min) {
            throw error(name, "must be a whole number >= " + min + ", got " + v);
        }
        return v.asInt();
    }

    Duration millis(String name, long min, Duration fallback) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min) {
            throw error(name, "must be a whole number of milliseconds >= " + min + ", got " + v);
        }
        return Duration.ofMillis(v.asLong());
    }

    Optional<BigDecimal> decimal(String name, BigDecimal min, BigDecimal max) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isNumber() || v.decimalValue().compareTo(min) < 0 || v.decimalValue().compareTo(max) > 0) {
            throw error(name, "must be a number from " + min.toPlainString() + " to " + max.toPlainString() + ", got " + v);
        }
        return Optional.of(v.decimalValue());
    }

    String path(String name) {
        return at(name);
    }

    ConfigException error(String name, String problem) {
        return new ConfigException(where(at(name)) + " " + problem);
    }

    ConfigException fail(String problem) {
        return new ConfigException(where(path.isEmpty() ? "(top level)" : path) + " " + problem);
    }

    private String at(String name) {
        return name.isEmpty() ? path : path.isEmpty() ? name : path + "." + name;
    }

    private String where(String fieldPath) {
        return file + ": " + (fieldPath.isEmpty() ? "the file" : fieldPath);
    }
}
