#pragma once
// Shared setup for the tenancy tests: a fresh, migrated database and two tenants with a row in every
// tenant-owned table (users, sectors, user_sectors, tenant_keys, event_sequences, refresh_tokens, api_tokens,
// audit_log). A new tenant-owned table gets seed rows in seedTenant(), or the isolation test reports it as
// unseeded.

#include "server/db/db_config.h"
#include "server/security/password_hasher.h"

#include <QSqlDatabase>
#include <QString>
#include <QUuid>

namespace atende::test {

// Cheap Argon2 parameters: the tests exercise the flow, not the cost.
server::security::PasswordHasher fastHasher();

// freshDatabase() + all built-in migrations; ADD_FAILURE on error.
server::db::DbConfig migratedDatabase(const QString &prefix);

struct SeededTenant {
    QUuid id;
    QString slug;
    QUuid userId;
    QUuid sectorId;
};

// Creates tenant `slug` through the repositories (as atende_app inside tenantTransaction) and fills every
// tenant-owned table with at least one row. ADD_FAILURE on error.
SeededTenant seedTenant(QSqlDatabase &db, const QString &slug);

} // namespace atende::test
