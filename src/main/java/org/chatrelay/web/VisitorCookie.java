package org.chatrelay.web;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The visitor's identity cookie: {@code <id>.<signature>}, the signature an HMAC of the id with the deployment's
 * secret, so an id the server never issued (chosen, guessed, or from before signing) is refused and replaced.
 *
 * <p>Over TLS the cookie is {@code __Host-cr_visitor}: the browser then accepts it only with Secure, Path=/ and no
 * Domain from this very host, so neither a sibling subdomain nor an injected plain-HTTP response can plant a known id
 * (an attacker can obtain a validly signed id of his own; only the prefix stops him planting it). Only that name
 * is read over TLS. Over plain HTTP (development) no prefix is possible and the cookie is {@code cr_visitor}; the
 * signature still refuses made-up ids.
 */
public final class VisitorCookie {
    static final String PLAIN = "cr_visitor";
    static final String HOST = "__Host-cr_visitor";
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final String PURPOSE = "visitor-cookie:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Signer signer;

    public VisitorCookie(Signer signer) {
        this.signer = signer;
    }

    /** The name this request's visitor cookie has: the prefix needs TLS and the whole site ({@code Path=/}). */
    static String name(HttpServletRequest req) {
        return req.isSecure() && req.getContextPath().isEmpty() ? HOST : PLAIN;
    }

    /** The visitor id the request's cookie proves, if it carries one this deployment signed. */
    Optional<String> idOf(HttpServletRequest req) {
        String value = value(req, name(req));
        if (value == null) {
            return Optional.empty();
        }
        int dot = value.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String id = value.substring(0, dot);
        return VALID_ID.matcher(id).matches() && signer.verify(PURPOSE + id, value.substring(dot + 1)) ? Optional.of(id) : Optional.empty();
    }

    /** A fresh id and the cookie that carries it. */
    Cookie issue(HttpServletRequest req, String id) {
        Cookie c = new Cookie(name(req), id + "." + signer.sign(PURPOSE + id));
        c.setHttpOnly(true);
        c.setPath(req.getContextPath().isEmpty() ? "/" : req.getContextPath());
        c.setMaxAge(400 * 24 * 3600);
        c.setSecure(req.isSecure());
        c.setAttribute("SameSite", "Lax");
        return c;
    }

    /** Over TLS, an old plain {@code cr_visitor} is no longer read: tell the browser to drop it. */
    Optional<Cookie> expireStale(HttpServletRequest req) {
        if (!HOST.equals(name(req)) || value(req, PLAIN) == null) {
            return Optional.empty();
        }
        Cookie c = new Cookie(PLAIN, "");
        c.setPath("/");
        c.setMaxAge(0);
        c.setHttpOnly(true);
        c.setSecure(true);
        return Optional.of(c);
    }

    static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String value(HttpServletRequest req, String name) {
        Cookie[] cookies = req.getCookies();
        if (cookies != null) {
            for (Cookie c : cookies) {
                if (name.equals(c.getName())) {
                    return c.getValue();
                }
            }
        }
        return null;
    }
}
