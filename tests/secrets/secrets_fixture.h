#pragma once
// Shared setup for the secrets tests: a fresh migrated database, tenants without any key row, and a
// DbExecutor-backed way to call KeyStore / SigningKeyStore the way the server does.

#include "server/db/db_config.h"

#include <QSqlDatabase>
#include <QString>
#include <QUuid>

namespace atende::test {

// freshDatabase() + all built-in migrations; ADD_FAILURE on error.
server::db::DbConfig secretsDatabase(const QString &prefix);

// Creates tenant `slug` (nothing else) as atende_app; returns its id. ADD_FAILURE on error.
QUuid createBareTenant(QSqlDatabase &db, const QString &slug);

} // namespace atende::test
