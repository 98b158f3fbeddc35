-- 0015: indexes that keep search and the console's tab counts fast on a large tenant (issue 4 benchmark:
-- 100k tickets, 1M messages).
--
-- messages_recent_idx        search.query returns the newest matching messages first. For a common word
--                            (one that most messages contain) the planner walks this index newest-first and
--                            stops after `limit` visible matches instead of ranking every match; rare words
--                            still go through the GIN index of 0009.
-- contacts_name_c_idx        prefix search on names and phone digits, in the "C" collation: LIKE 'abc%' uses
-- contacts_phone_c_idx       it as a range and the same order serves ORDER BY ... LIMIT, so a prefix that most
--                            contacts share reads one page instead of sorting every match. They replace 0011's
--                            text_pattern_ops indexes, which could find the matches but not order them.
-- contacts_recent_idx        full-text matches on contacts, most recently updated first, without a sort.
-- tickets_open_counts_idx    tickets.counts: every column the count reads, for the open tickets only, so the
--                            count is an index-only scan of the active set.

CREATE INDEX messages_recent_idx ON messages (tenant_id, created_at DESC, id DESC);
DROP INDEX contacts_name_prefix_idx, contacts_phone_prefix_idx;
CREATE INDEX contacts_name_c_idx ON contacts (tenant_id, (lower(name) COLLATE "C"), id) WHERE merged_into IS NULL;
CREATE INDEX contacts_phone_c_idx ON contacts (tenant_id, (phone COLLATE "C"), id) WHERE merged_into IS NULL;
CREATE INDEX contacts_recent_idx ON contacts (tenant_id, updated_at DESC, id) WHERE merged_into IS NULL;
CREATE INDEX tickets_open_counts_idx ON tickets (tenant_id, state, sector_id, assignee_id)
    INCLUDE (connection_id, queued_at) WHERE state <> 'closed';
