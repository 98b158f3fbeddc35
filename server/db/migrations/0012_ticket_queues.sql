-- 0012: two indexes for the ticket operations (issue 4 item 3), next to those of 0009.
--
-- tickets_state_activity_idx  lists of callers who see every ticket (tickets.supervise, API tokens): one
--                             state across all sectors in activity order, newest first. 0009's
--                             tickets_state_sector_idx has the sector before the time, so without this a
--                             supervisor's "closed" list would sort the tenant's whole history.
-- tickets_waiting_queue_idx   tickets.accept_next and the oldest wait of tickets.counts: waiting tickets of a
--                             sector by queued_at (partial: only the queue itself is indexed).

CREATE INDEX tickets_state_activity_idx ON tickets (tenant_id, state, last_activity_at DESC, id DESC);
CREATE INDEX tickets_waiting_queue_idx ON tickets (tenant_id, sector_id, queued_at, id) WHERE state = 'waiting';
