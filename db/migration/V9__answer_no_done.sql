-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- A stream that gave its finish_reason but closed without its terminator ([DONE], message_stop) is stored as a
-- complete answer (case 27); the flag keeps the fact, so an operator can tell a provider that habitually skips its
-- terminator (a proxy in between cutting the last chunk) from one that ends cleanly.
ALTER TABLE answer_usage ADD COLUMN no_done BOOLEAN DEFAULT FALSE NOT NULL;
