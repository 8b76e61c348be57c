package org.chatrelay.http;

import java.util.regex.Pattern;

/** The ids of conversations and messages in URLs and bodies: lower-case UUIDs, checked before any lookup. */
public final class Ids {
    public static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Ids() {
    }
}
