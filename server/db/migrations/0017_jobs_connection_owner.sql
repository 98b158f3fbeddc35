-- 0017: jobs of a WhatsApp connection run on the instance that owns the connection (issue 6; ARCHITECTURE.md
-- "Outbound" and ownership in 0014). Only the owner holds the connection's session and Signal state, so a
-- message.send claimed elsewhere could only fail and wait for its back-off.
--
-- jobs.connection_id names the connection a job acts on (NULL: any instance may run it). The message jobs
-- (message.send, message.read) get it from their message at INSERT, so every place that queues them is
-- covered without passing it along. jobs_claim() gains p_instance: a job whose connection has a live owner
-- (a whatsapp_sessions lease that has not expired) is claimed only by that owner; a connection without one
-- (test connections, a WhatsApp connection between owners) is claimable by any instance, as before.

ALTER TABLE jobs ADD COLUMN connection_id uuid;

CREATE FUNCTION jobs_connection_of_message() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.connection_id IS NULL AND NEW.kind IN ('message.send', 'message.read')
       AND NEW.payload->>'message_id' ~ '^[0-9a-fA-F-]{36}$' THEN
        SELECT m.connection_id INTO NEW.connection_id
        FROM messages m
        WHERE m.tenant_id = NEW.tenant_id AND m.id = (NEW.payload->>'message_id')::uuid;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER jobs_connection_of_message BEFORE INSERT ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_connection_of_message();

DROP FUNCTION jobs_claim(text, text[], int, int);

-- As in 0007, plus the owner rule (see above) in both picks.
CREATE FUNCTION jobs_claim(p_worker text, p_kinds text[], p_limit int, p_lease_seconds int, p_instance text)
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
REVOKE ALL ON FUNCTION jobs_claim(text, text[], int, int, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_claim(text, text[], int, int, text) TO atende_app;
