#pragma once
// Where and how to reach PostgreSQL. Parsed from ATENDE_DATABASE_URL or produced by EmbeddedPostgres.

#include "common/core/result.h"

#include <QString>

namespace atende::server::db {

struct DbConfig {
    QString host; // hostname, IP, or an absolute Unix-socket directory
    int port = 5432;
    QString user;
    QString password; // never logged
    QString database;
    QString options; // extra QPSQL connect options, "key=value;key=value"

    // postgresql://user:pass@host:port/dbname?host=/socket/dir&sslmode=require
    static atende::core::Result<DbConfig> fromUrl(const QString &url);
    // For logs: everything but the password.
    QString redacted() const;
};

} // namespace atende::server::db
