package org.chatrelay.admin.conversations;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.chatrelay.admin.report.BadFilterException;

/**
 * The validated parameters of the conversation list: text search, visitor, a range of UTC days on the last activity,
 * and a sort column from an allowlist (docs/security-checklist.md S8: a column name never comes from the request).
 */
public record ConversationQuery(Optional<String> text, Optional<String> visitor, Optional<LocalDate> from,
                                Optional<LocalDate> to, String sort, boolean ascending, int page) {
    public static final int PAGE_SIZE = 50;
    static final Map<String, String> SORT_COLUMNS = Map.of("updated", "c.updated_at", "created", "c.created_at", "title", "c.title");
    private static final Pattern VISITOR = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    public static ConversationQuery parse(Map<String, String[]> params) {
        Optional<String> text = first(params, "q");
        if (text.isPresent() && (text.get().length() > 200 || text.get().indexOf('\0') >= 0)) {
            throw new BadFilterException("q must be at most 200 characters of text.");
        }
        Optional<String> visitor = first(params, "visitor");
        if (visitor.isPresent() && !VISITOR.matcher(visitor.get()).matches()) {
            throw new BadFilterException("visitor must be a visitor id (letters, digits, _ and -).");
        }
        Optional<LocalDate> from = date(params, "from");
        Optional<LocalDate> to = date(params, "to");
        if (from.isPresent() && to.isPresent() && from.get().isAfter(to.get())) {
            throw new BadFilterException("from must not be after to.");
        }
        String sort = first(params, "sort").orElse("updated");
        if (!SORT_COLUMNS.containsKey(sort)) {
            throw new BadFilterException("sort must be one of updated, created, title.");
        }
        String dir = first(params, "dir").orElse(sort.equals("title") ? "asc" : "desc");
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw new BadFilterException("dir must be asc or desc.");
        }
        String rawPage = first(params, "page").orElse("1");
        if (!rawPage.matches("[1-9][0-9]{0,3}")) {
            throw new BadFilterException("page must be a whole number from 1 to 9999.");
        }
        return new ConversationQuery(text, visitor, from, to, sort, dir.equals("asc"), Integer.parseInt(rawPage));
    }

    String orderBy() {
        String direction = ascending ? " ASC" : " DESC";
        return " ORDER BY " + SORT_COLUMNS.get(sort) + direction + ", c.id" + direction;
    }

    /** The query string of this search at another page. */
    public String atPage(int n) {
        StringBuilder q = new StringBuilder("sort=" + sort + "&dir=" + (ascending ? "asc" : "desc") + "&page=" + n);
        text.ifPresent(v -> q.append("&q=").append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        visitor.ifPresent(v -> q.append("&visitor=").append(v));
        from.ifPresent(v -> q.append("&from=").append(v));
        to.ifPresent(v -> q.append("&to=").append(v));
        return q.toString();
    }

    private static Optional<LocalDate> date(Map<String, String[]> params, String name) {
        Optional<String> raw = first(params, name);
        if (raw.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (!DATE.matcher(raw.get()).matches()) {
                throw new IllegalArgumentException();
            }
            return Optional.of(LocalDate.parse(raw.get()));
        } catch (RuntimeException e) {
            throw new BadFilterException(name + " must be a date like 2025-01-31.");
        }
    }

    private static Optional<String> first(Map<String, String[]> params, String name) {
        String[] v = params.get(name);
        return v == null || v.length == 0 || v[0].isBlank() ? Optional.empty() : Optional.of(v[0].strip());
    }
}
