package org.chatrelay.markdown;

import java.util.Locale;
import java.util.regex.Pattern;
import org.commonmark.renderer.html.UrlSanitizer;

/**
 * Which link targets an answer may carry: absolute http(s) and mailto only. Everything else ({@code javascript:},
 * {@code data:}, {@code vbscript:}, relative paths into this site) loses its link and stays as text.
 */
final class UrlPolicy implements UrlSanitizer {
    private static final Pattern ALLOWED = Pattern.compile("(https?://[^\\s/?#]+|mailto:[^\\s]+)[^\\s]*");

    static boolean allowed(String url) {
        return url != null && ALLOWED.matcher(url.strip().toLowerCase(Locale.ROOT)).matches();
    }

    /** commonmark's own hook, behind {@link SafeLinks}: anything not allowed becomes an empty target. */
    @Override
    public String sanitizeLinkUrl(String url) {
        return allowed(url) ? url.strip() : "";
    }

    @Override
    public String sanitizeImageUrl(String url) {
        return "";
    }
}
