-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.
-- One row per upstream request made for an answer: retries and fallbacks included, in order.
-- answer_usage.provider is the provider that answered (or was tried last); answer_usage.attempts counts these rows.

CREATE TABLE answer_attempt (
    usage_id      VARCHAR(36)              NOT NULL REFERENCES answer_usage (id) ON DELETE CASCADE,
    attempt_no    INTEGER                  NOT NULL, -- 1, 2, … in the order they were made
    provider      VARCHAR(64)              NOT NULL,
    model         VARCHAR(100)             NOT NULL, -- the model name sent to that provider
    outcome       VARCHAR(16)              NOT NULL, -- answered | failed | cancelled
    http_status   INTEGER,                           -- NULL when no response arrived (connect error, timeout)
    error_code    VARCHAR(64),                       -- e.g. http_429, connect_refused, upstream_timeout
    waited_ms     INTEGER                  NOT NULL, -- since the previous attempt failed (or the answer began): back-off, Retry-After, queue
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    duration_ms   INTEGER                  NOT NULL,
    CONSTRAINT answer_attempt_pk PRIMARY KEY (usage_id, attempt_no)
);

CREATE INDEX answer_attempt_provider_started_idx ON answer_attempt (provider, started_at);
