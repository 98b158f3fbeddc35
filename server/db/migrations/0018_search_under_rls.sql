-- 0018: full-text matches read through the GIN indexes although row-level security applies.
--
-- PostgreSQL uses a condition as an index condition under RLS only when its operator is LEAKPROOF (it must not
-- see rows before the policy has), and tsvector @@ tsquery is not. As atende_app every probe of search.query
-- ("which rows contain this word, if at most 1,000") therefore read all of the tenant's rows instead of the
-- index: 0.7–0.9 s per word at 1M messages, the desk benchmark's 3 searches/s. (The tests' small tables hid it.)
--
-- These two functions read the GIN index as their owner, under the same tenant condition the policies use
-- (current_setting('app.tenant_id'), set by DbExecutor::runTenant for the transaction), and return ids only:
-- the caller reads the rows themselves under RLS. Without a tenant set they return nothing. When the owner is
-- subject to RLS (a non-superuser owner of FORCE'd tables) they are still correct, only not faster.
CREATE FUNCTION search_message_ids(words text, kinds text[], max_rows integer) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public SET enable_seqscan = off SET enable_indexscan = off
AS $$
    SELECT m.id FROM public.messages m
    WHERE m.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
      AND m.search @@ websearch_to_tsquery('public.atende_pt', words) AND m.kind = ANY (kinds)
    LIMIT max_rows
$$;

CREATE FUNCTION search_contact_ids(words text, max_rows integer) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public SET enable_seqscan = off SET enable_indexscan = off
AS $$
    SELECT c.id FROM public.contacts c
    WHERE c.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid
      AND c.search @@ websearch_to_tsquery('public.atende_pt', words) AND c.merged_into IS NULL
    LIMIT max_rows
$$;

-- The same for a name prefix: lower(name) is not LEAKPROOF either, so under RLS "lower(name) LIKE 'abc%'" could
-- not become a range of contacts_name_c_idx and a prefix nobody has walked every name of the tenant. `prefix` is
-- already lower case; ids come in name order.
CREATE FUNCTION search_contact_prefix_ids(prefix text, max_rows integer) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, public
AS $$
    SELECT c.id FROM public.contacts c
    WHERE c.tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::uuid AND c.merged_into IS NULL
      AND lower(c.name) COLLATE "C" >= prefix AND lower(c.name) COLLATE "C" < prefix || chr(1114111)
      AND starts_with(lower(c.name), prefix)
    ORDER BY lower(c.name) COLLATE "C", c.id
    LIMIT max_rows
$$;

REVOKE ALL ON FUNCTION search_message_ids(text, text[], integer), search_contact_ids(text, integer),
    search_contact_prefix_ids(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_message_ids(text, text[], integer), search_contact_ids(text, integer),
    search_contact_prefix_ids(text, integer) TO atende_app;
