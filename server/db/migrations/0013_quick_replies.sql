-- 0013: quick replies (issue 4 item 5, PRODUCT.md "Quick replies (tenant, sector and personal; /shortcut in
-- the composer; variables such as {{name}})").
--
-- scope 'tenant'   everybody of the tenant; managed with quick_replies.manage
-- scope 'sector'   members of sector_id (and supervisors); managed with quick_replies.manage
-- scope 'personal' only owner_id; managed by the owner
-- A shortcut is unique inside its scope target (the tenant, one sector, one person); the composer lists
-- every reply the agent may use, personal first, so the same shortcut in two scopes is allowed on purpose.

CREATE TABLE quick_replies (
    tenant_id  uuid NOT NULL REFERENCES tenants (id),
    id         uuid NOT NULL DEFAULT gen_random_uuid(),
    scope      text NOT NULL CHECK (scope IN ('tenant', 'sector', 'personal')),
    sector_id  uuid,
    owner_id   uuid,
    shortcut   text NOT NULL CHECK (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,31}$'),
    title      text NOT NULL DEFAULT '' CHECK (length(title) <= 120),
    body       text NOT NULL CHECK (length(body) BETWEEN 1 AND 4096),
    created_by uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, sector_id) REFERENCES sectors (tenant_id, id) ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, owner_id) REFERENCES users (tenant_id, id) ON DELETE CASCADE,
    CHECK ((scope = 'tenant' AND sector_id IS NULL AND owner_id IS NULL)
        OR (scope = 'sector' AND sector_id IS NOT NULL AND owner_id IS NULL)
        OR (scope = 'personal' AND sector_id IS NULL AND owner_id IS NOT NULL))
);
CREATE UNIQUE INDEX quick_replies_shortcut_key
    ON quick_replies (tenant_id, scope, coalesce(sector_id, owner_id, '00000000-0000-0000-0000-000000000000'), shortcut);

ALTER TABLE quick_replies ENABLE ROW LEVEL SECURITY;
ALTER TABLE quick_replies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quick_replies
    USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
    WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
REVOKE ALL ON quick_replies FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON quick_replies TO atende_app;
