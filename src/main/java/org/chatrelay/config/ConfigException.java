package org.chatrelay.config;

/** Invalid configuration: start-up stops with this message, which names the setting at fault. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
