-- Portable SQL (H2 2.x and PostgreSQL 15+): one column per statement. Issue 14, thinking models.

-- The model's reasoning, shown folded above its answer. Kept with the message (a deleted conversation takes it
-- along) and never sent back upstream with the history.
ALTER TABLE message ADD COLUMN reasoning TEXT;
-- From the request to the first reasoning byte; thinking time runs from there to the first answer token
-- (ttft_ms stays the time to the first answer token, so it no longer mixes thinking and network time).
ALTER TABLE answer_usage ADD COLUMN first_reasoning_ms INTEGER;
ALTER TABLE answer_usage ADD COLUMN thinking_ms INTEGER;
-- Part of completion_tokens (both dialects count reasoning as output): provider-reported or estimated.
ALTER TABLE answer_usage ADD COLUMN reasoning_tokens INTEGER;
ALTER TABLE answer_usage ADD COLUMN reasoning_source VARCHAR(16); -- provider | estimated

-- The admin report's thinking figures per day, model, provider and arm: answers with a thinking time, the sum of
-- those times (the report shows their mean), and the reasoning tokens, of which how many were estimated.
ALTER TABLE usage_rollup ADD COLUMN answers_thinking BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE usage_rollup ADD COLUMN thinking_ms_sum BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE usage_rollup ADD COLUMN reasoning_tokens BIGINT DEFAULT 0 NOT NULL;
ALTER TABLE usage_rollup ADD COLUMN reasoning_tokens_estimated BIGINT DEFAULT 0 NOT NULL;
