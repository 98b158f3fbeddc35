-- 0004: secrets at rest (ARCHITECTURE.md decision 5, issue 3 item 8) and JWT signing keys shared by every
-- server instance.
--
-- Both tables are platform-level, not tenant-owned: no tenant_id, no Row-Level Security, and no privilege
-- for atende_app. Only the connection's owner role (the server outside runTenant, the admin commands) reads
-- them, so a handler running as atende_app cannot reach a signing key or the platform data key.

-- The platform data key, wrapped by the master key (Envelope::wrap), exactly one row. It encrypts
-- platform secrets such as the signing keys' private halves. master_key_id repeats the wrapped blob's key
-- id so a rotation (atende-server admin rotate-master-key) can see what is left to re-wrap.
CREATE TABLE platform_keys (
    id               smallint PRIMARY KEY CHECK (id = 1),
    wrapped_data_key bytea NOT NULL,
    master_key_id    bytea NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);

-- Ed25519 keys for access tokens (server/secrets/signing_key_store.h). A key signs from activates_at until
-- retires_at and verifies until expires_at (retires_at + the longest access-token lifetime, with margin).
-- The private key is stored only encrypted with the platform data key, associated data
-- "signing_keys/<kid>".
CREATE TABLE signing_keys (
    kid                   text PRIMARY KEY CHECK (kid ~ '^[A-Za-z0-9._-]{1,64}$'),
    algorithm             text NOT NULL CHECK (algorithm = 'EdDSA'),
    public_key            bytea NOT NULL CHECK (length(public_key) = 32),
    encrypted_private_key bytea NOT NULL,
    created_at            timestamptz NOT NULL DEFAULT now(),
    activates_at          timestamptz NOT NULL,
    retires_at            timestamptz NOT NULL,
    expires_at            timestamptz NOT NULL,
    CHECK (activates_at <= retires_at AND retires_at <= expires_at)
);
CREATE INDEX signing_keys_expires_idx ON signing_keys (expires_at);

REVOKE ALL ON platform_keys, signing_keys FROM PUBLIC;
