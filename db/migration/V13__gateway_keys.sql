-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.
-- Virtual keys of the gateway (issue 15) and the shared state their limits are counted in, so every node sees them.

-- A key is shown once when created and stored only as a SHA-256 hash (hex); prefix ('crk-' and a few characters)
-- is what the admin pages show. NULL limits mean unlimited; models NULL means every model of the catalogue.
CREATE TABLE gateway_key (
    id                     VARCHAR(36)              NOT NULL PRIMARY KEY,
    name                   VARCHAR(100)             NOT NULL,
    owner                  VARCHAR(100),
    prefix                 VARCHAR(16)              NOT NULL,
    key_hash               VARCHAR(64)              NOT NULL,
    models                 VARCHAR(4000),           -- model names, one per line
    rpm                    INTEGER,
    max_streams            INTEGER,
    daily_budget_micros    BIGINT,                  -- integer micro-dollars, as answer_usage.cost_micros
    monthly_budget_micros  BIGINT,
    expires_at             TIMESTAMP WITH TIME ZONE,
    store_content          BOOLEAN                  DEFAULT FALSE NOT NULL,
    created_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at             TIMESTAMP WITH TIME ZONE,
    CONSTRAINT gateway_key_hash_uq UNIQUE (key_hash)
);

-- One row per request admitted in the last minute of a key with an rpm limit (a sliding-window log); rows older than
-- a minute are deleted by the next admission of the same key.
CREATE TABLE gateway_key_request (
    key_id       VARCHAR(36)              NOT NULL REFERENCES gateway_key (id) ON DELETE CASCADE,
    admitted_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX gateway_key_request_key_idx ON gateway_key_request (key_id, admitted_at);

-- Calls of a key in flight on any node: streams at once, and the spend reserved against the key's budgets until the
-- call's usage row is stored. A node that dies leaves rows behind; admissions ignore rows older than the turn limit.
CREATE TABLE gateway_key_call (
    id              VARCHAR(36)              NOT NULL PRIMARY KEY,
    key_id          VARCHAR(36)              NOT NULL REFERENCES gateway_key (id) ON DELETE CASCADE,
    node_id         VARCHAR(64),
    streaming       BOOLEAN                  NOT NULL,
    reserve_micros  BIGINT                   NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX gateway_key_call_key_idx ON gateway_key_call (key_id, started_at);

-- Gateway calls are charged to their key; budgets sum a key's cost since midnight UTC and since the first of the month.
ALTER TABLE answer_usage ADD COLUMN key_id VARCHAR(36);
CREATE INDEX answer_usage_key_started_idx ON answer_usage (key_id, started_at);
