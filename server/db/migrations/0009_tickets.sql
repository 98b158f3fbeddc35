-- 0009: tickets with cycles, their append-only event log and the messages of a conversation (issue 4 items
-- 3, 4, 9; PRODUCT.md lifecycle, metric definitions, N2, N3, N12, N15).
--
-- tickets         one row per ticket; `cycle` counts reopenings (a customer message after close inside the
--                 sector's reopen window starts cycle n+1 of the same ticket). The partial UNIQUE index
--                 tickets_one_active makes a second active ticket for one (contact, connection) impossible,
--                 whatever the application does (N3).
-- ticket_events   append-only (triggers refuse UPDATE, DELETE, TRUNCATE): every state change, assignment,
--                 transfer, tag and reopen with its actor and the cycle it belongs to. Metrics and the
--                 ticket timeline are computed from it (PRODUCT.md "Metric definitions").
-- messages        inbound, outbound, internal notes and system lines of a ticket, ordered by the keyset
--                 (created_at, id). Ingest is idempotent by UNIQUE (tenant, connection, external_id) (N2).
--                 `search` is a stored tsvector in the Portuguese configuration without accents (N15).

CREATE EXTENSION IF NOT EXISTS unaccent;

-- Portuguese stemming over unaccented words: "não" finds "nao", "pedidos" finds "pedido".
CREATE TEXT SEARCH CONFIGURATION atende_pt (COPY = pg_catalog.portuguese);
ALTER TEXT SEARCH CONFIGURATION atende_pt
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem;

CREATE TABLE tickets (
    tenant_id            uuid NOT NULL REFERENCES tenants (id),
    id                   uuid NOT NULL DEFAULT gen_random_uuid(),
    contact_id           uuid NOT NULL,
    connection_id        uuid NOT NULL,
    sector_id            uuid,
    assignee_id          uuid,
    state                text NOT NULL CHECK (state IN ('bot', 'waiting', 'in_service', 'on_hold', 'closed')),
    cycle                integer NOT NULL DEFAULT 1 CHECK (cycle >= 1),
    -- true when an agent started the conversation (left out of TTFR by default).
    agent_initiated      boolean NOT NULL DEFAULT false,
    tags                 text[] NOT NULL DEFAULT '{}',
    cycle_started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    queued_at            timestamptz,
    accepted_at          timestamptz,
    closed_at            timestamptz,
    -- Denormalised for the ticket list (kept by the message writers in the same transaction).
    last_message_at      timestamptz,
    last_message_preview text NOT NULL DEFAULT '',
    unread_count         integer NOT NULL DEFAULT 0 CHECK (unread_count >= 0),
    -- Keyset order of ticket lists: the last activity (message or state change), newest first.
    last_activity_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    created_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    updated_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id),
    FOREIGN KEY (tenant_id, sector_id) REFERENCES sectors (tenant_id, id),
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES users (tenant_id, id),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
    CHECK (state NOT IN ('in_service', 'on_hold') OR assignee_id IS NOT NULL)
);
-- N3: at most one active (not closed) ticket per contact and connection.
CREATE UNIQUE INDEX tickets_one_active ON tickets (tenant_id, contact_id, connection_id) WHERE state <> 'closed';
-- Ticket lists (waiting per sector, mine, team, closed), newest activity first.
CREATE INDEX tickets_state_sector_idx ON tickets (tenant_id, state, sector_id, last_activity_at DESC, id DESC);
CREATE INDEX tickets_assignee_idx ON tickets (tenant_id, assignee_id, state, last_activity_at DESC, id DESC)
    WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_contact_idx ON tickets (tenant_id, contact_id, created_at DESC, id DESC);
CREATE INDEX tickets_tags_idx ON tickets USING gin (tags);

CREATE TABLE ticket_events (
    tenant_id      uuid NOT NULL REFERENCES tenants (id),
    id             bigint GENERATED ALWAYS AS IDENTITY,
    ticket_id      uuid NOT NULL,
    cycle          integer NOT NULL CHECK (cycle >= 1),
    -- created | queued | bot_ended | accepted | assigned | transferred | held | resumed | closed | reopened
    -- | tagged | untagged | first_response
    kind           text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    actor_user_id  uuid,
    from_state     text,
    to_state       text,
    from_sector_id uuid,
    to_sector_id   uuid,
    from_user_id   uuid,
    to_user_id     uuid,
    reason         text NOT NULL DEFAULT '',
    data           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    at             timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id)
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (tenant_id, ticket_id, id);
CREATE INDEX ticket_events_at_idx ON ticket_events (tenant_id, at);

CREATE FUNCTION ticket_events_reject_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ticket_events is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ticket_events_no_update_delete BEFORE UPDATE OR DELETE ON ticket_events
    FOR EACH ROW EXECUTE FUNCTION ticket_events_reject_change();
CREATE TRIGGER ticket_events_no_truncate BEFORE TRUNCATE ON ticket_events
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_events_reject_change();

CREATE TABLE messages (
    tenant_id        uuid NOT NULL REFERENCES tenants (id),
    id               uuid NOT NULL DEFAULT gen_random_uuid(),
    ticket_id        uuid NOT NULL,
    cycle            integer NOT NULL CHECK (cycle >= 1),
    -- Copied from the ticket so that a contact's history (N12) is one index range.
    contact_id       uuid NOT NULL,
    connection_id    uuid NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('inbound', 'outbound', 'note', 'system')),
    -- The agent who wrote an outbound message or a note; null for inbound, system and automatic lines.
    author_user_id   uuid,
    -- Greeting, closing and other automatic outbound messages (not a first response, PRODUCT.md TTFR).
    automatic        boolean NOT NULL DEFAULT false,
    body             text NOT NULL DEFAULT '' CHECK (length(body) <= 65536),
    -- inbound: received; outbound: pending -> sent -> delivered -> read, or failed; note/system: none.
    status           text NOT NULL CHECK (status IN ('received', 'pending', 'sent', 'delivered', 'read',
                                                     'failed', 'none')),
    failure_reason   text NOT NULL DEFAULT '',
    -- The connector's message id (WhatsApp message id); unique per connection (idempotent ingest).
    external_id      text CHECK (length(external_id) BETWEEN 1 AND 128),
    quoted_id        uuid,
    mentions         uuid[] NOT NULL DEFAULT '{}',
    media_kind       text CHECK (media_kind IN ('image', 'video', 'audio', 'voice', 'document', 'sticker',
                                                'location', 'contact')),
    media_mime       text,
    media_file_name  text,
    media_size       bigint CHECK (media_size >= 0),
    media_sha256     text,
    media_duration_s integer,
    media_width      integer,
    media_height     integer,
    created_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at          timestamptz,
    delivered_at     timestamptz,
    read_at          timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    search           tsvector GENERATED ALWAYS AS (to_tsvector('atende_pt'::regconfig, body)) STORED,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, ticket_id) REFERENCES tickets (tenant_id, id),
    FOREIGN KEY (tenant_id, contact_id) REFERENCES contacts (tenant_id, id),
    FOREIGN KEY (tenant_id, connection_id) REFERENCES connections (tenant_id, id),
    FOREIGN KEY (tenant_id, quoted_id) REFERENCES messages (tenant_id, id),
    FOREIGN KEY (tenant_id, author_user_id) REFERENCES users (tenant_id, id),
    CHECK (kind <> 'note' OR author_user_id IS NOT NULL)
);
-- N2: one row per connector message id, however often it is delivered.
CREATE UNIQUE INDEX messages_external_idx ON messages (tenant_id, connection_id, external_id)
    WHERE external_id IS NOT NULL;
-- Conversation pages (both directions and "around"), keyset (created_at, id).
CREATE INDEX messages_ticket_idx ON messages (tenant_id, ticket_id, created_at, id);
-- Contact history across tickets and connections (N12).
CREATE INDEX messages_contact_idx ON messages (tenant_id, contact_id, created_at, id);
CREATE INDEX messages_search_idx ON messages USING gin (search);

-- Contact search (N15): name and notes in the same configuration.
ALTER TABLE contacts ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('atende_pt'::regconfig, name || ' ' || notes)) STORED;
CREATE INDEX contacts_search_idx ON contacts USING gin (search);

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['tickets', 'ticket_events', 'messages'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY tenant_isolation ON %I'
                       ' USING (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)'
                       ' WITH CHECK (tenant_id = nullif(current_setting(''app.tenant_id'', true), '''')::uuid)', t);
        EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', t);
    END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON tickets, messages TO atende_app;
-- ticket_events: append and read only.
GRANT SELECT, INSERT ON ticket_events TO atende_app;
REVOKE ALL ON FUNCTION ticket_events_reject_change() FROM PUBLIC;
