-- 0011: what the message operations need beyond 0009 (issue 4 items 4, 5, 9).
--
-- client_request_id   the id a client picks for one messages.send; a repeat of the request (a retry after a
--                     lost reply) finds the stored message instead of sending twice. Unique per author.
-- messages_status_idx outbound messages still pending or failed (the admin pane, the sender's sweeps).
-- contacts_name_prefix_idx, contacts_phone_prefix_idx
--                     search.query's prefix matches on lower(name) and phone (N15: "Mar" finds "Maria",
--                     "5511" finds the number).

ALTER TABLE messages ADD COLUMN client_request_id text CHECK (length(client_request_id) BETWEEN 1 AND 128);
CREATE UNIQUE INDEX messages_client_request_idx ON messages (tenant_id, author_user_id, client_request_id)
    WHERE client_request_id IS NOT NULL;
CREATE INDEX messages_status_idx ON messages (tenant_id, status, created_at)
    WHERE status IN ('pending', 'failed');

CREATE INDEX contacts_name_prefix_idx ON contacts (tenant_id, lower(name) text_pattern_ops);
CREATE INDEX contacts_phone_prefix_idx ON contacts (tenant_id, phone text_pattern_ops);
