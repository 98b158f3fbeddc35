#include "tests/tenancy/tenancy_fixture.h"

#include "server/db/migrator.h"
#include "server/db/sql_util.h"
#include "server/tenancy/audit_log.h"
#include "server/tenancy/tenant_repository.h"
#include "server/tenancy/user_repository.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <QJsonObject>
#include <QSqlQuery>

#include <gtest/gtest.h>

namespace atende::test {

using atende::core::Result;
using atende::core::Status;

server::security::PasswordHasher fastHasher()
{
    server::security::Argon2Params p;
    p.memoryKiB = 256;
    p.iterations = 1;
    return server::security::PasswordHasher(p);
}

server::db::DbConfig migratedDatabase(const QString &prefix)
{
    const server::db::DbConfig config = freshDatabase(prefix);
    TestConnection conn(config);
    if (!conn.isOpen()) {
        ADD_FAILURE() << "cannot open " << config.database.toStdString() << ": " << conn.openError().toStdString();
        return config;
    }
    Result<int> v = server::db::Migrator(server::db::Migrator::builtIn()).migrate(conn.db());
    if (!v.ok())
        ADD_FAILURE() << "migrations failed: " << v.error().message.toStdString();
    return config;
}

SeededTenant seedTenant(QSqlDatabase &db, const QString &slug)
{
    SeededTenant seeded;
    seeded.slug = slug;
    seeded.id = server::tenancy::TenantRepository::newId();
    const QString tid = seeded.id.toString(QUuid::WithoutBraces);
    Status st = server::db::tenantTransaction(db, seeded.id, [&](QSqlDatabase &d) -> Status {
        auto t = server::tenancy::TenantRepository::create(d, seeded.id, QStringLiteral("Tenant ") + slug, slug);
        if (!t.ok())
            return t.error();
        server::tenancy::NewUser nu{slug + QStringLiteral("@example.com"), QStringLiteral("Admin ") + slug,
                                    QStringLiteral("admin"), QStringLiteral("correct horse battery")};
        auto u = server::tenancy::UserRepository::create(d, seeded.id, nu, fastHasher());
        if (!u.ok())
            return u.error();
        seeded.userId = u->id;
        seeded.sectorId = QUuid::createUuid();
        const QString uid = seeded.userId.toString(QUuid::WithoutBraces);
        const QString sid = seeded.sectorId.toString(QUuid::WithoutBraces);
        const QString sql =
            QStringLiteral("INSERT INTO sectors (tenant_id, id, name, color) VALUES ('%1', '%2', 'Vendas', '#00aa00');"
                           "INSERT INTO user_sectors (tenant_id, user_id, sector_id) VALUES ('%1', '%3', '%2');"
                           "INSERT INTO tenant_keys (tenant_id, wrapped_data_key, master_key_id) "
                           "  VALUES ('%1', '\\x0102'::bytea, '\\x0304'::bytea);"
                           "INSERT INTO event_sequences (tenant_id, last_seq) VALUES ('%1', 7);"
                           "INSERT INTO event_log (tenant_id, seq, permission, payload) "
                           "  VALUES ('%1', 7, 'users.read', '\\x0807'::bytea);"
                           "INSERT INTO refresh_tokens (tenant_id, family_id, user_id, token_hash, expires_at) "
                           "  VALUES ('%1', gen_random_uuid(), '%3', 'seed-' || '%1', now() + interval '1 day');"
                           "INSERT INTO api_tokens (tenant_id, name, scopes, token_hash, prefix, created_by) "
                           "  VALUES ('%1', 'Seed', ARRAY['tickets:read'], 'seed-api-' || '%1', 'abcdefgh', '%3');"
                           "INSERT INTO jobs (tenant_id, kind, payload, idempotency_key) "
                           "  VALUES ('%1', 'seed', '{\"n\": 1}', 'seed-job');"
                           "INSERT INTO connections (tenant_id, name, kind) VALUES ('%1', 'Seed', 'test');"
                           "INSERT INTO contacts (tenant_id, name, phone) VALUES ('%1', 'Seed', '5511900000001');"
                           "INSERT INTO contact_identities (tenant_id, contact_id, kind, value, connection_id) "
                           "  SELECT '%1', c.id, 'wa_phone', '5511900000001', n.id FROM contacts c, connections n "
                           "  WHERE c.tenant_id = '%1' AND n.tenant_id = '%1';"
                           "INSERT INTO tickets (tenant_id, contact_id, connection_id, sector_id, state) "
                           "  SELECT '%1', c.id, n.id, '%2', 'waiting' FROM contacts c, connections n "
                           "  WHERE c.tenant_id = '%1' AND n.tenant_id = '%1';"
                           "INSERT INTO ticket_events (tenant_id, ticket_id, cycle, kind, to_state) "
                           "  SELECT '%1', t.id, 1, 'created', 'waiting' FROM tickets t WHERE t.tenant_id = '%1';"
                           "INSERT INTO messages (tenant_id, ticket_id, cycle, contact_id, connection_id, kind, body, "
                           "  status, external_id) SELECT '%1', t.id, 1, t.contact_id, t.connection_id, 'inbound', "
                           "  'Olá', 'received', 'seed-1' FROM tickets t WHERE t.tenant_id = '%1';"
                           "INSERT INTO quick_replies (tenant_id, scope, shortcut, body) "
                           "  VALUES ('%1', 'tenant', 'ola', 'Olá, {{contact.first_name}}!');"
                           "INSERT INTO whatsapp_sessions (tenant_id, connection_id, credentials, credentials_key_id) "
                           "  SELECT '%1', n.id, '\\x0506'::bytea, '\\x0708'::bytea FROM connections n "
                           "  WHERE n.tenant_id = '%1';"
                           "INSERT INTO whatsapp_prekeys (tenant_id, connection_id, prekey_id, key_pair, key_id) "
                           "  SELECT '%1', n.id, 1, '\\x0909'::bytea, '\\x0a0a'::bytea FROM connections n "
                           "  WHERE n.tenant_id = '%1';"
                           "INSERT INTO whatsapp_signal_sessions (tenant_id, connection_id, address, record, key_id) "
                           "  SELECT '%1', n.id, 'seed.1', '\\x0b0b'::bytea, '\\x0c0c'::bytea FROM connections n "
                           "  WHERE n.tenant_id = '%1';"
                           "INSERT INTO whatsapp_signal_identities (tenant_id, connection_id, address, identity_key, "
                           "  key_id) SELECT '%1', n.id, 'seed.1', '\\x0d0d'::bytea, '\\x0e0e'::bytea "
                           "  FROM connections n WHERE n.tenant_id = '%1';"
                           "INSERT INTO whatsapp_signal_sender_keys (tenant_id, connection_id, group_id, address, "
                           "  record, key_id) SELECT '%1', n.id, 'g@g.us', 'seed.1', '\\x0f0f'::bytea, "
                           "  '\\x1010'::bytea FROM connections n WHERE n.tenant_id = '%1';"
                           "INSERT INTO connection_events (tenant_id, connection_id, state, reason) "
                           "  SELECT '%1', n.id, 'connecting', 'seed' FROM connections n WHERE n.tenant_id = '%1';")
                .arg(tid, sid, uid);
        if (Status s = server::db::exec(d, sql); !s.ok())
            return s;
        server::tenancy::AuditEntry e;
        e.actorUserId = seeded.userId;
        e.action = QStringLiteral("sector.create");
        e.objectType = QStringLiteral("sector");
        e.objectId = sid;
        e.after = QJsonObject{{QStringLiteral("name"), QStringLiteral("Vendas")}};
        e.ip = QStringLiteral("203.0.113.7");
        auto a = server::tenancy::AuditLog::append(d, seeded.id, e);
        if (!a.ok())
            return a.error();
        return {};
    });
    if (!st.ok())
        ADD_FAILURE() << "seeding tenant " << slug.toStdString() << " failed: " << st.error().code.toStdString() << ": "
                      << st.error().message.toStdString();
    return seeded;
}

} // namespace atende::test
