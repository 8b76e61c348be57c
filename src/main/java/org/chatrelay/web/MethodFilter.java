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
 * headers, cookies included. The one exception is DELETE on the key admin API ({@code DELETE /admin/api/keys/{id}},
 * the contract automation expects), which only the master key opens.
 */
public final class MethodFilter extends HttpFilter {
    static final Set<String> ALLOWED = Set.of("GET", "HEAD", "POST", "OPTIONS");
    static final String DELETE_ALLOWED_UNDER = "/admin/api/";

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse res, FilterChain chain) throws IOException, ServletException {
        boolean apiDelete = "DELETE".equals(req.getMethod()) && req.getServletPath().startsWith(DELETE_ALLOWED_UNDER);
        if (!ALLOWED.contains(req.getMethod()) && !apiDelete) {
            res.setHeader("Allow", "GET, HEAD, POST, OPTIONS");
            ErrorPageServlet.respond(req, res, HttpServletResponse.SC_METHOD_NOT_ALLOWED, req.getRequestURI(), null);
            return;
        }
        chain.doFilter(req, res);
    }
}
