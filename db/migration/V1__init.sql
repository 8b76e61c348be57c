-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

CREATE TABLE conversation (
    id          VARCHAR(36)              NOT NULL PRIMARY KEY,
    visitor_id  VARCHAR(64)              NOT NULL,
    title       VARCHAR(200)             NOT NULL,
    model       VARCHAR(100),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX conversation_visitor_updated_idx ON conversation (visitor_id, updated_at);

CREATE TABLE message (
    id               VARCHAR(36)              NOT NULL PRIMARY KEY,
    conversation_id  VARCHAR(36)              NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
    seq              INTEGER                  NOT NULL,
    role             VARCHAR(16)              NOT NULL, -- user | assistant | system
    content          TEXT                     NOT NULL,
    status           VARCHAR(24)              NOT NULL, -- sent | streaming | an answer end reason
    node_id          VARCHAR(64),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT message_conversation_seq_uq UNIQUE (conversation_id, seq)
);

-- One row per assistant answer. No foreign key to conversation and SET NULL towards message:
-- usage must outlive a deleted conversation so admins keep the true cost history.
CREATE TABLE answer_usage (
    id                 VARCHAR(36)              NOT NULL PRIMARY KEY,
    message_id         VARCHAR(36)              REFERENCES message (id) ON DELETE SET NULL,
    conversation_id    VARCHAR(36)              NOT NULL,
    visitor_id         VARCHAR(64)              NOT NULL,
    node_id            VARCHAR(64),
    provider           VARCHAR(64)              NOT NULL,
    arm                VARCHAR(16)              DEFAULT 'main' NOT NULL,
    model_requested    VARCHAR(100)             NOT NULL,
    model_reported     VARCHAR(100),
    prompt_tokens      INTEGER,
    completion_tokens  INTEGER,
    usage_source       VARCHAR(16)              DEFAULT 'none' NOT NULL, -- provider | estimated | none
    cost_micros        BIGINT,                                           -- integer micro-dollars
    ttft_ms            INTEGER,
    total_ms           INTEGER,
    tokens_per_second  DOUBLE PRECISION,
    max_gap_ms         INTEGER,
    end_reason         VARCHAR(24),  -- NULL while streaming; completed | length | user_stop | client_gone
                                     -- | upstream_error | upstream_cut | timeout | interrupted
    finish_reason      VARCHAR(32),  -- the provider's raw finish/stop reason
    error_code         VARCHAR(64),
    content_flags      VARCHAR(64),  -- e.g. nul_replaced
    attempts           INTEGER                  DEFAULT 1 NOT NULL,
    started_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at           TIMESTAMP WITH TIME ZONE
);

CREATE INDEX answer_usage_started_idx ON answer_usage (started_at);
CREATE INDEX answer_usage_conversation_idx ON answer_usage (conversation_id);
CREATE INDEX answer_usage_message_idx ON answer_usage (message_id);
