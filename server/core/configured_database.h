#pragma once
// The database a ServerConfig points at, brought up the same way by the server and by the admin commands:
// the cluster at database_url, or the embedded cluster under data_dir (started, or adopted when it already
// runs, e.g. under a server that is up) with its `atende` database created on first use.

#include "server/core/config.h"
#include "server/db/db_config.h"
#include "server/db/embedded_postgres.h"

#include <memory>

namespace atende::server::core {

struct ConfiguredDatabase {
    std::unique_ptr<db::EmbeddedPostgres> embedded; // null when database_url is set
    bool startedHere = false;                       // the embedded cluster was not running before
    db::DbConfig config;                            // where the application database is
};

atende::core::Result<ConfiguredDatabase> openConfiguredDatabase(const ServerConfig &config);

// Creates database `name` if it does not exist (idempotent), connecting as `superuser`.
atende::core::Status ensureDatabase(const db::DbConfig &superuser, const QString &name);

} // namespace atende::server::core
