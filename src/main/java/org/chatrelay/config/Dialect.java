package org.chatrelay.config;

import java.util.Locale;

/** The wire format a provider speaks. */
public enum Dialect {
    /** OpenAI {@code chat.completions} with {@code stream: true} (also DeepSeek, vLLM, OpenRouter, …). */
    OPENAI,
    /** Anthropic Messages with {@code stream: true}. */
    ANTHROPIC;

    /** @param where names the setting for the error message */
    public static Dialect parse(String value, String where) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + " must be 'openai' or 'anthropic', got '" + value + "'");
        }
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
