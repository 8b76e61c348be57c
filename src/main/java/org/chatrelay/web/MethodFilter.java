package org.chatrelay.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;

/**
 * The app reads with GET (and HEAD), changes with POST and answers CORS preflights with OPTIONS: every other method
 * is refused with 405 on every path, before any servlet sees it. TRACE above all: it would echo the request's
 * headers, cookies included.
 */
public final class MethodFilter extends HttpFilter {
    static final Set<String> ALLOWED = Set.of("GET", "HEAD", "POST", "OPTIONS");

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!ALLOWED.contains(req.getMethod())) {
            res.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
            ErrorPageServlet.respond(req, res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, req.getRequestURI(), null);
            return;
        }
        chain.doFilter(req, res);
    }
}
