-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+.

-- A Stop pressed on one node for an answer that streams on another. The owning node (node_id) polls for its own
-- rows while it has answers in flight, stops the answer and deletes the row; leftovers are swept after minutes.
CREATE TABLE stop_request (
    message_id    VARCHAR(36)              NOT NULL PRIMARY KEY,
    visitor_id    VARCHAR(64)              NOT NULL,
    node_id       VARCHAR(64)              NOT NULL,
    requested_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX stop_request_node_idx ON stop_request (node_id);

-- Answers left 'streaming' by a stopped or lost node are looked up by status at start-up and by the periodic sweep:
-- an index instead of a scan of every message ever stored.
CREATE INDEX message_status_idx ON message (status, created_at);
