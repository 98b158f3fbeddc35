#include "tests/secrets/secrets_fixture.h"

#include "server/db/migrator.h"
#include "server/db/sql_util.h"
#include "server/tenancy/tenant_repository.h"
#include "tests/support/test_connection.h"
#include "tests/support/test_postgres.h"

#include <gtest/gtest.h>

namespace atende::test {

server::db::DbConfig secretsDatabase(const QString &prefix)
{
    const server::db::DbConfig config = freshDatabase(prefix);
    TestConnection conn(config);
    if (!conn.isOpen()) {
        ADD_FAILURE() << "cannot open " << config.database.toStdString() << ": " << conn.openError().toStdString();
        return config;
    }
    core::Result<int> v = server::db::Migrator(server::db::Migrator::builtIn()).migrate(conn.db());
    if (!v.ok())
        ADD_FAILURE() << "migrations failed: " << v.error().message.toStdString();
    return config;
}

QUuid createBareTenant(QSqlDatabase &db, const QString &slug)
{
    const QUuid id = server::tenancy::TenantRepository::newId();
    core::Result<server::tenancy::Tenant> t = server::db::tenantTransaction(db, id, [&](QSqlDatabase &d) {
        return server::tenancy::TenantRepository::create(d, id, QStringLiteral("Tenant ") + slug, slug);
    });
    if (!t.ok())
        ADD_FAILURE() << "creating tenant " << slug.toStdString() << " failed: " << t.error().message.toStdString();
    return id;
}

} // namespace atende::test
