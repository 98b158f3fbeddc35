#pragma once
// Versioned SQL migrations (migrations/NNNN_name.sql, compiled in as Qt resources under :/atende/migrations/).
// Applied at start under a PostgreSQL advisory lock so that two instances starting together do not race,
// each in its own transaction, recorded in schema_migrations(version, name, checksum, applied_at).
// A database whose newest migration is newer than this binary knows is refused with a clear message.
// A file may hold several statements (dollar-quoted function bodies included); it must not contain its own
// BEGIN/COMMIT, nor statements that cannot run inside a transaction block (CREATE INDEX CONCURRENTLY).

#include "common/core/result.h"

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace atende::server::db {

struct Migration {
    int version = 0;
    QString name;
    QByteArray sql;
    QByteArray checksum; // hex SHA-256 of sql
};

class Migrator {
public:
    // The migrations compiled into this binary, ascending by version.
    static QList<Migration> builtIn();

    explicit Migrator(QList<Migration> migrations);

    // Applies every pending migration. Returns the schema version afterwards.
    // Errors: "schema_too_new" when the database is ahead of this binary; "migration_failed" with the
    // failing version and PostgreSQL's message; "checksum_mismatch" when an applied file was edited.
    atende::core::Result<int> migrate(QSqlDatabase &db) const;

    // Highest applied version (0 when none / no table).
    static atende::core::Result<int> currentVersion(QSqlDatabase &db);
    int latestVersion() const;

private:
    QList<Migration> m_migrations;
};

} // namespace atende::server::db
