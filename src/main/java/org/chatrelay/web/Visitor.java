package org.chatrelay.web;

import jakarta.servlet.http.HttpServletRequest;

/** The anonymous visitor behind a request, as established by {@link VisitorFilter}. */
public record Visitor(String id, String csrfToken) {
    static final String ATTRIBUTE = "chatrelay.visitor";

    public static Visitor of(HttpServletRequest request) {
        Visitor v = (Visitor) request.getAttribute(ATTRIBUTE);
        if (v == null) {
            throw new IllegalStateException("VisitorFilter did not run for " + request.getRequestURI());
        }
        return v;
    }
}
