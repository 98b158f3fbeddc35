-- 0007: the PostgreSQL job queue (ARCHITECTURE.md decision 1, issue 4 item 6). See server/jobs/job_queue.h.
--
-- A job is tenant-owned (tenant_id first in the key, RLS like 0002). Enqueueing, finishing, failing, lease
-- renewal, listing and retrying dead jobs all run as atende_app bound to the job's tenant. Only claiming has
-- to look across tenants (a worker serves every tenant): jobs_claim() is a SECURITY DEFINER function that
-- returns just the rows it locked for the caller, like auth_find_user_by_email. As with that function, the
-- migration owner must be a superuser or have BYPASSRLS for it to see every tenant.
--
-- States: queued -> running (claimed, lease in locked_until) -> done | queued again (retry, run_at moved by
-- the back-off) | dead (max_attempts reached or a permanent error). A running job whose lease expired (its
-- worker died) is claimable again. attempts counts claims, so a job that kills its worker each time still
-- ends dead instead of looping forever.

CREATE TABLE jobs (
    tenant_id       uuid NOT NULL REFERENCES tenants (id),
    id              uuid NOT NULL DEFAULT gen_random_uuid(),
    kind            text NOT NULL CHECK (length(kind) BETWEEN 1 AND 100),
    payload         jsonb NOT NULL DEFAULT '{}'::jsonb,
    state           text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'running', 'done', 'dead')),
    run_at          timestamptz NOT NULL DEFAULT now(),
    attempts        int NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts    int NOT NULL DEFAULT 8 CHECK (max_attempts BETWEEN 1 AND 1000),
    last_error      text,
    idempotency_key text,
    locked_by       text,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    PRIMARY KEY (tenant_id, id),
    CHECK (state <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL))
);

-- A second enqueue with the same key returns the first job (ON CONFLICT against this index).
CREATE UNIQUE INDEX jobs_idempotency_key ON jobs (tenant_id, kind, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
-- Claiming: due queued jobs, oldest run_at first; and running jobs whose lease expired.
CREATE INDEX jobs_claim ON jobs (state, run_at) WHERE state = 'queued';
CREATE INDEX jobs_lease ON jobs (locked_until) WHERE state = 'running';
-- The admin pane's dead-letter list.
CREATE INDEX jobs_dead ON jobs (tenant_id, finished_at DESC) WHERE state = 'dead';

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);

REVOKE ALL ON jobs FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON jobs TO atende_app;

-- Wakes idle workers (JobWorker LISTENs on atende_jobs). The payload is the kind; PostgreSQL folds identical
-- notifications of one transaction into one, so a batch insert sends one per kind, delivered at COMMIT.
CREATE FUNCTION jobs_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('atende_jobs', NEW.kind);
    RETURN NULL;
END
$$;
CREATE TRIGGER jobs_notify_insert AFTER INSERT ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_notify();
CREATE TRIGGER jobs_notify_requeue AFTER UPDATE OF state ON jobs FOR EACH ROW
    WHEN (NEW.state = 'queued' AND OLD.state = 'dead') EXECUTE FUNCTION jobs_notify();

-- Claims up to p_limit due jobs of the given kinds (NULL = any) across all tenants for worker p_worker with a
-- lease of p_lease_seconds. The picked rows are locked with SKIP LOCKED in a MATERIALIZED CTE (the
-- UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n) pattern, but evaluated exactly once:
-- an IN (subquery) may be rescanned by the planner and then lock more than n rows), so concurrent workers
-- never get the same row and never wait on each other. Expired leases that already used their last attempt
-- go dead first.
CREATE FUNCTION jobs_claim(p_worker text, p_kinds text[], p_limit int, p_lease_seconds int)
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

    -- SKIP LOCKED here too: two claimers must never wait on each other's rows (that could deadlock).
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

    -- Expired leases first (few; their worker died), then due queued jobs in run_at order straight off the
    -- partial index jobs_claim, so a long backlog costs an index range scan, not a sort.
    RETURN QUERY
    WITH picked AS MATERIALIZED (
        SELECT c.tenant_id, c.id
        FROM jobs c
        WHERE c.state = 'running' AND c.locked_until < now() AND c.attempts < c.max_attempts
          AND (p_kinds IS NULL OR c.kind = ANY (p_kinds))
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
REVOKE ALL ON FUNCTION jobs_claim(text, text[], int, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_claim(text, text[], int, int) TO atende_app;
