-- 0001: base objects. schema_migrations itself is created by the migrator before any file runs.

-- Per-tenant event sequence: every server event gets the next number of its tenant, so a client can
-- resume after a reconnect from the last number it saw. The event log itself lives with the desk.
CREATE TABLE event_sequences (
    tenant_id uuid PRIMARY KEY,
    last_seq  bigint NOT NULL DEFAULT 0 CHECK (last_seq >= 0)
);

-- Running server instances, for ownership of WhatsApp connections and for operators.
CREATE TABLE server_instances (
    instance_id uuid PRIMARY KEY,
    hostname    text NOT NULL,
    version     text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);
