-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- The daily token budget sums a visitor's usage since midnight UTC before every chat request: an index on
-- (visitor_id, started_at) keeps that a short range scan however many answers the table holds.
CREATE INDEX answer_usage_visitor_started_idx ON answer_usage (visitor_id, started_at);
