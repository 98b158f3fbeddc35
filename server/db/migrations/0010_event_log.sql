-- 0010: the durable event log (issue 4 item 8). Every event of the tenant's sequence (event_sequences, 0001)
-- is stored here in the transaction of the change it describes (accounts::Outbox::add), with the audience
-- that decides who may receive it. A client that reconnects asks for the events after the last seq it saw
-- (WebSocket operation sync.resume); other server instances fetch a row when its NOTIFY arrives
-- (channel atende_events, payload '<tenant>:<seq>', delivered at COMMIT).
--
-- Bounded: rows older than event_log_retention_hours are pruned. Per tenant only a prefix of the sequence
-- is removed (everything up to the newest seq that is old enough), so the retained seqs of a tenant stay
-- contiguous and "the oldest retained seq is after the client's seq + 1" means exactly "some events are
-- gone": the client must resynchronise.
--
-- Tenant-owned like 0002/0008: RLS enabled and forced. atende_app may read and append, never change or
-- delete; pruning crosses tenants through a SECURITY DEFINER function called on the owner's connection (as
-- with jobs_claim, the migration owner must be a superuser or have BYPASSRLS).

CREATE TABLE event_log (
    tenant_id   uuid NOT NULL REFERENCES tenants (id),
    seq         bigint NOT NULL CHECK (seq > 0),
    -- Audience (api::Audience): the receiver must hold `permission` (NULL: any), belong to `sector_id` (or
    -- supervise, or be `assignee_id`), or be `user_id` when set.
    permission  text CHECK (permission IS NULL OR length(permission) BETWEEN 1 AND 100),
    sector_id   uuid,
    user_id     uuid,
    assignee_id uuid,
    -- The serialized atende.api.v1.Event (seq, tenant_id and at filled in).
    payload     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, seq)
);
-- Pruning looks rows up by age.
CREATE INDEX event_log_created_idx ON event_log (created_at);

ALTER TABLE event_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE event_log FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON event_log
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
REVOKE ALL ON event_log FROM PUBLIC;
GRANT SELECT, INSERT ON event_log TO atende_app;

-- Deletes, per tenant, every event up to the newest seq created before p_before. Only one instance prunes at
-- a time (a transaction-scoped advisory lock; the others return -1 at once). Returns the rows deleted.
CREATE FUNCTION event_log_prune(p_before timestamptz)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
DECLARE
    v_deleted bigint;
BEGIN
    IF p_before IS NULL THEN
        RAISE EXCEPTION 'event_log_prune: p_before is required' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF NOT pg_try_advisory_xact_lock(hashtext('atende.event_log_prune')) THEN
        RETURN -1;
    END IF;
    WITH old AS MATERIALIZED (
        SELECT tenant_id, max(seq) AS upto FROM event_log WHERE created_at < p_before GROUP BY tenant_id
    )
    DELETE FROM event_log e USING old
    WHERE e.tenant_id = old.tenant_id AND e.seq <= old.upto;
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END
$$;
REVOKE ALL ON FUNCTION event_log_prune(timestamptz) FROM PUBLIC;

-- After its LISTEN connection was re-established, an instance asks which tenants logged events since it lost
-- the connection and catches up on each (notifications sent meanwhile are lost).
CREATE FUNCTION event_log_tenants_since(p_since timestamptz)
RETURNS TABLE (tenant_id uuid, first_seq bigint, last_seq bigint)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    SELECT e.tenant_id, min(e.seq), max(e.seq) FROM event_log e WHERE e.created_at >= p_since GROUP BY e.tenant_id
$$;
REVOKE ALL ON FUNCTION event_log_tenants_since(timestamptz) FROM PUBLIC;
