-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- A rating of one answer by whoever asked for it: thumbs up (+1) or down (-1) and an optional short comment.
-- Keyed by the usage row, not the message: it outlives a deleted conversation like the cost does, so the canary
-- verdict's thumbs-up share stays true. One row per answer (an answer has one asker), rewritten when changed.
-- rater says who: 'visitor:<id>' from the chat page; a gateway caller would be 'key:<id>' with source 'api'.
CREATE TABLE answer_feedback (
    usage_id    VARCHAR(36)              NOT NULL PRIMARY KEY REFERENCES answer_usage (id) ON DELETE CASCADE,
    rater       VARCHAR(80)              NOT NULL,
    source      VARCHAR(16)              NOT NULL, -- chat | api
    rating      SMALLINT                 NOT NULL, -- 1 up, -1 down
    comment     VARCHAR(1000), -- the API allows 500 characters; H2 counts UTF-16 units, two for an emoji
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT answer_feedback_rating_ck CHECK (rating IN (1, -1))
);
