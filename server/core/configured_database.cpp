#include "server/core/configured_database.h"
#include "server/db/query.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>

Q_DECLARE_LOGGING_CATEGORY(lcCore)

namespace atende::server::core {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
namespace errc = atende::core::errc;

Result<ConfiguredDatabase> openConfiguredDatabase(const ServerConfig &config)
{
    const bool existed = QFileInfo::exists(config.dataDir);
    if (!QDir().mkpath(config.dataDir))
        return Error::make(errc::kUnavailable, QStringLiteral("cannot create data_dir %1").arg(config.dataDir));
    // A new data_dir is private (0700). An existing one only loses what "other" may do: as root, the embedded
    // cluster gives its OS user g+x on data_dir (EmbeddedPostgres::start), and taking that away from a running
    // cluster makes its checkpointer PANIC on the next checkpoint (pg_control is opened by absolute path).
    if (!existed) {
        QFile::setPermissions(config.dataDir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    } else {
        const QFileDevice::Permissions others =
            QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        QFile::setPermissions(config.dataDir, QFile::permissions(config.dataDir) & ~others);
    }

    ConfiguredDatabase out;
    if (!config.databaseUrl.isEmpty()) {
        Result<db::DbConfig> parsed = db::DbConfig::fromUrl(config.databaseUrl);
        if (!parsed.ok())
            return parsed.error();
        out.config = parsed.value();
        return out;
    }
    db::EmbeddedPostgresOptions o;
    o.dataDir = config.dataDir;
    o.binDir = config.postgresBinDir;
    o.tcpPort = config.embeddedPostgresPort;
    out.embedded = std::make_unique<db::EmbeddedPostgres>(o);
    out.startedHere = !out.embedded->isRunning();
    qCInfo(lcCore) << "starting the embedded PostgreSQL cluster in" << out.embedded->clusterDir();
    if (Status st = out.embedded->start(); !st.ok())
        return st.error();
    const db::DbConfig super = out.embedded->superuserConfig();
    if (Status st = ensureDatabase(super, QStringLiteral("atende")); !st.ok())
        return st.error();
    out.config = super;
    out.config.database = QStringLiteral("atende");
    return out;
}

Status ensureDatabase(const db::DbConfig &superuser, const QString &name)
{
    const QString connName = QStringLiteral("atende-bootstrap-") + QUuid::createUuid().toString(QUuid::Id128);
    Status result;
    {
        QSqlDatabase c = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connName);
        c.setHostName(superuser.host);
        c.setPort(superuser.port);
        c.setUserName(superuser.user);
        c.setDatabaseName(superuser.database);
        if (!c.open()) {
            result = Error::make(errc::kUnavailable,
                                 QStringLiteral("cannot reach the embedded PostgreSQL: %1").arg(c.lastError().text()));
        } else {
            bool exists = true;
            {
                db::Query q(c, QStringLiteral("SELECT 1 FROM pg_database WHERE datname = ?"));
                q.addBindValue(name);
                exists = q.exec() && q.next();
            }
            if (!exists) {
                QSqlQuery create(c);
                if (!create.exec(QStringLiteral("CREATE DATABASE \"%1\" ENCODING 'UTF8' TEMPLATE template0").arg(name)))
                    result = Error::make(
                        errc::kInternal,
                        QStringLiteral("cannot create database %1: %2").arg(name, create.lastError().text()));
            }
            c.close();
        }
    }
    QSqlDatabase::removeDatabase(connName);
    return result;
}

} // namespace atende::server::core
