-- Portable SQL: this file runs unchanged on H2 2.x and PostgreSQL 15+. Issue 16, resumable answers.

-- A viewer that resumes an answer on a node other than the one producing it reads the answer's checkpoints; each of
-- its polls stamps the message here now and then, and the owning node reads the stamp before it ends a detached
-- answer as client_gone (someone is still watching it, just not through this node).
ALTER TABLE message ADD COLUMN viewed_at TIMESTAMP WITH TIME ZONE;
