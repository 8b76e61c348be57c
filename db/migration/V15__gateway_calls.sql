-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- A gateway call's usage row (key_id, V13) also keeps who asked and how: the client's end user (OpenAI "user",
-- Anthropic "metadata.user_id"), the dialect it spoke ('openai' or 'anthropic') and whether it streamed. All three
-- are null on the chat page's rows, so dialect IS NULL is the chat page as a source. A non-streaming call's client
-- sees its first byte when the whole answer is there: its time to first byte is total_ms, flagged by streaming = FALSE
-- (ttft_ms stays the provider's first token, what the report compares between providers).
ALTER TABLE answer_usage ADD COLUMN end_user VARCHAR(256);
ALTER TABLE answer_usage ADD COLUMN dialect VARCHAR(16);
ALTER TABLE answer_usage ADD COLUMN streaming BOOLEAN;
