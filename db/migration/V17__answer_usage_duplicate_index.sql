-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+. Issue 18, the database's share of an answer.

-- V4's answer_usage_visitor_idx and V7's answer_usage_visitor_started_idx index the same columns in the same order:
-- every answer's usage row was written into both (and, on PostgreSQL, so was every update that cannot stay on its
-- page). V7's serves every query the pair served; DatabaseTest refuses two indexes on one column list.
DROP INDEX answer_usage_visitor_idx;
