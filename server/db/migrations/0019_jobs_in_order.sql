-- 0019: jobs that run one after another, and a restarted instance taking its jobs back at once (issue 6).
--
-- seq, serial_key   A job with a serial key is claimed only when no earlier job (by seq, the order of
--                   insertion; created_at is the same for a whole transaction) with the same key is still
--                   queued or running. A worker runs several message.send jobs at a time, so an agent's
--                   replies in one ticket could leave out of order (the e2e test of 100 replies saw #041 before
--                   #040); now they leave in the order they were written, and a reply waiting for a retry holds
--                   back the ones behind it. message.send gets its ticket as key from its message (the trigger
--                   of 0017, replaced below); read receipts and other jobs have none.
-- jobs_release_worker()
--                   A process killed while holding jobs came back with the same instance (and so the same
--                   worker id) yet waited for its own 60 s leases to expire; at start the worker now expires
--                   the leases held under its own id. Only for a worker id derived from a configured instance
--                   id (two live processes must never share one).

ALTER TABLE jobs ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE jobs ADD COLUMN serial_key text;
CREATE INDEX jobs_serial ON jobs (tenant_id, serial_key, seq)
    WHERE serial_key IS NOT NULL AND state IN ('queued', 'running');

CREATE OR REPLACE FUNCTION jobs_connection_of_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind IN ('message.send', 'message.read') AND NEW.payload->>'message_id' ~ '^[0-9a-fA-F-]{36}$'
       AND (NEW.connection_id IS NULL OR (NEW.kind = 'message.send' AND NEW.serial_key IS NULL)) THEN
        SELECT coalesce(NEW.connection_id, m.connection_id),
               CASE WHEN NEW.kind = 'message.send' THEN coalesce(NEW.serial_key, 'ticket:' || m.ticket_id) END
        INTO NEW.connection_id, NEW.serial_key
        FROM messages m
        WHERE m.tenant_id = NEW.tenant_id AND m.id = (NEW.payload->>'message_id')::uuid;
    END IF;
    RETURN NEW;
END
$$;

-- As in 0017, plus the serial rule in the pick of queued jobs.
CREATE OR REPLACE FUNCTION jobs_claim(p_worker text, p_kinds text[], p_limit int, p_lease_seconds int, p_instance text)
RETURNS TABLE (tenant_id uuid, id uuid, kind text, payload jsonb, attempts int, max_attempts int,
               locked_until timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
    v_taken bigint;
BEGIN
    IF p_worker IS NULL OR length(p_worker) = 0 OR p_limit < 1 OR p_lease_seconds < 1 THEN
        RAISE EXCEPTION 'jobs_claim: bad arguments' USING ERRCODE = 'invalid_parameter_value';
    END IF;

    WITH spent AS MATERIALIZED (
        SELECT c.tenant_id, c.id
        FROM jobs c
        WHERE c.state = 'running' AND c.locked_until < now() AND c.attempts >= c.max_attempts
          AND (p_kinds IS NULL OR c.kind = ANY (p_kinds))
        FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
    SET state = 'dead', last_error = 'lease expired on the last attempt (worker ' || j.locked_by || ')',
        locked_by = NULL, locked_until = NULL, finished_at = now(), updated_at = now()
    FROM spent
    WHERE j.tenant_id = spent.tenant_id AND j.id = spent.id;

    RETURN QUERY
    WITH picked AS MATERIALIZED (
        SELECT c.tenant_id, c.id
        FROM jobs c
        WHERE c.state = 'running' AND c.locked_until < now() AND c.attempts < c.max_attempts
          AND (p_kinds IS NULL OR c.kind = ANY (p_kinds))
          AND (c.connection_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM whatsapp_sessions s
                WHERE s.tenant_id = c.tenant_id AND s.connection_id = c.connection_id
                  AND s.lease_expires_at > now() AND s.owner_instance_id IS DISTINCT FROM p_instance))
        ORDER BY c.locked_until
        LIMIT p_limit
        FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
    SET state = 'running', locked_by = p_worker, locked_until = now() + make_interval(secs => p_lease_seconds),
        attempts = j.attempts + 1, updated_at = now()
    FROM picked
    WHERE j.tenant_id = picked.tenant_id AND j.id = picked.id
    RETURNING j.tenant_id, j.id, j.kind, j.payload, j.attempts, j.max_attempts, j.locked_until;
    GET DIAGNOSTICS v_taken = ROW_COUNT;
    IF v_taken >= p_limit THEN
        RETURN;
    END IF;

    RETURN QUERY
    WITH picked AS MATERIALIZED (
        SELECT c.tenant_id, c.id
        FROM jobs c
        WHERE c.state = 'queued' AND c.run_at <= now() AND (p_kinds IS NULL OR c.kind = ANY (p_kinds))
          AND (c.serial_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM jobs o
                WHERE o.tenant_id = c.tenant_id AND o.serial_key = c.serial_key AND o.seq < c.seq
                  AND o.state IN ('queued', 'running')))
          AND (c.connection_id IS NULL OR NOT EXISTS (
                SELECT 1 FROM whatsapp_sessions s
                WHERE s.tenant_id = c.tenant_id AND s.connection_id = c.connection_id
                  AND s.lease_expires_at > now() AND s.owner_instance_id IS DISTINCT FROM p_instance))
        ORDER BY c.state, c.run_at
        LIMIT p_limit - v_taken
        FOR UPDATE SKIP LOCKED
    )
    UPDATE jobs j
    SET state = 'running', locked_by = p_worker, locked_until = now() + make_interval(secs => p_lease_seconds),
        attempts = j.attempts + 1, updated_at = now()
    FROM picked
    WHERE j.tenant_id = picked.tenant_id AND j.id = picked.id
    RETURNING j.tenant_id, j.id, j.kind, j.payload, j.attempts, j.max_attempts, j.locked_until;
END
$$;

CREATE FUNCTION jobs_release_worker(p_worker text) RETURNS integer
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = public, pg_temp
AS $$
    WITH released AS (
        UPDATE jobs SET locked_until = now() - interval '1 millisecond', updated_at = now()
        WHERE state = 'running' AND locked_by = p_worker
        RETURNING 1)
    SELECT count(*)::integer FROM released
$$;
REVOKE ALL ON FUNCTION jobs_release_worker(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_release_worker(text) TO atende_app;
