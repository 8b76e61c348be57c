-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- A gateway call's usage row (key_id, V13) also keeps who asked and how: the client's end user (OpenAI "user",
-- Anthropic "metadata.user_id"), the dialect it spoke ('openai' or 'anthropic') and whether it streamed. All three
-- are null on the chat page's rows, so dialect IS NULL is the chat page as a source. A non-streaming call's client
-- sees its first byte when the whole answer is there: its time to first byte is total_ms, flagged by streaming = FALSE
-- (ttft_ms stays the provider's first token, what the report compares between providers).
ALTER TABLE answer_usage ADD COLUMN end_user VARCHAR(256);
ALTER TABLE answer_usage ADD COLUMN dialect VARCHAR(16);
ALTER TABLE answer_usage ADD COLUMN streaming BOOLEAN;

-- The report's rollups get the key as a dimension ('' for the chat page, so it can be part of the primary key), for
-- its key and source (chat page / gateway) filters and breakdowns. Gateway calls are stored from this version on, so
-- every rollup row so far is the chat page's and keeps the default.
ALTER TABLE usage_rollup ADD COLUMN key_id VARCHAR(36) DEFAULT '' NOT NULL;
ALTER TABLE usage_rollup DROP CONSTRAINT usage_rollup_pk;
ALTER TABLE usage_rollup ADD CONSTRAINT usage_rollup_pk PRIMARY KEY (usage_day, model, provider, arm, end_reason, error_code, key_id);
