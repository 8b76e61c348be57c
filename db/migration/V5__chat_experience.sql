-- Portable SQL (H2 2.x and PostgreSQL 15+): one column per statement.

-- Regenerate and edit keep the earlier version: it is marked with the message that replaced it, never deleted,
-- so its answer_usage row (and cost) stays attached to the text it paid for.
ALTER TABLE message ADD COLUMN replaced_by VARCHAR(36);
-- NULL for an ordinary message; 'continue' for the user's request to continue the answer before it.
ALTER TABLE message ADD COLUMN kind VARCHAR(16);

-- The browser's side of the latency chain: from the Send click to the first token painted on screen.
ALTER TABLE answer_usage ADD COLUMN client_ttft_ms INTEGER;
-- Buffering self-check: the largest delay, relative to the stream's own best, between the relay's send time
-- stamped on a token and its arrival in the browser, and whether tokens arrived in late bursts (a buffering proxy).
ALTER TABLE answer_usage ADD COLUMN client_max_lag_ms INTEGER;
ALTER TABLE answer_usage ADD COLUMN buffering_suspected BOOLEAN;
