-- Admin accounts and the usage report's daily rollups. Portable SQL: runs on H2 2.x and PostgreSQL 15+.

-- Who may log in to /admin. Passwords only as salted slow hashes: pbkdf2-sha256$<iterations>$<salt>$<hash>
-- (PasswordHash refuses anything else, so Jetty's MD5:/CRYPT:/plain forms can never be stored).
CREATE TABLE admin_account (
    username       VARCHAR(64)              NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(200)             NOT NULL,
    roles          VARCHAR(200)             NOT NULL, -- comma-separated, e.g. admin
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A finished usage row is folded into usage_rollup once, by the roll-up job, which sets this flag in the same
-- transaction. The report adds the few finished rows not yet folded in, so it is always current.
ALTER TABLE answer_usage ADD COLUMN rolled_up BOOLEAN DEFAULT FALSE NOT NULL;
CREATE INDEX answer_usage_rolled_up_idx ON answer_usage (rolled_up, started_at);

-- Filters of the raw CSV export and of the not-yet-rolled-up tail.
CREATE INDEX answer_usage_visitor_idx ON answer_usage (visitor_id, started_at);
CREATE INDEX conversation_updated_idx ON conversation (updated_at);

-- One row per UTC day (of started_at) and combination of the report's filters. Latency histograms and
-- distinct-count sketches are binary (see admin/report/Histogram and DistinctSketch).
CREATE TABLE usage_rollup (
    usage_day                    DATE         NOT NULL,
    model                        VARCHAR(100) NOT NULL,
    provider                     VARCHAR(64)  NOT NULL,
    arm                          VARCHAR(16)  NOT NULL,
    end_reason                   VARCHAR(24)  NOT NULL,
    error_code                   VARCHAR(64)  NOT NULL, -- '' when none
    answers                      BIGINT       NOT NULL,
    answers_provider             BIGINT       NOT NULL, -- usage_source = provider
    answers_estimated            BIGINT       NOT NULL, -- usage_source = estimated
    answers_unpriced             BIGINT       NOT NULL, -- tokens known but no price for the model
    prompt_tokens_provider       BIGINT       NOT NULL,
    completion_tokens_provider   BIGINT       NOT NULL,
    prompt_tokens_estimated      BIGINT       NOT NULL,
    completion_tokens_estimated  BIGINT       NOT NULL,
    cost_provider_micros         BIGINT       NOT NULL,
    cost_estimated_micros        BIGINT       NOT NULL,
    ttft_hist                    BYTEA        NOT NULL,
    total_hist                   BYTEA        NOT NULL,
    tps_hist                     BYTEA        NOT NULL,
    gap_hist                     BYTEA        NOT NULL,
    visitors                     BYTEA        NOT NULL,
    conversations                BYTEA        NOT NULL,
    CONSTRAINT usage_rollup_pk PRIMARY KEY (usage_day, model, provider, arm, end_reason, error_code)
);

-- The roll-up job and report reads lock this row, so a report never sees a batch half folded in,
-- and two nodes never fold the same rows twice.
CREATE TABLE usage_rollup_lock (
    name VARCHAR(32) NOT NULL PRIMARY KEY
);
INSERT INTO usage_rollup_lock (name) VALUES ('usage');
