#include "server/db/migrator.h"
#include "server/db/query.h"

#include "server/db/db_log.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <algorithm>
#include <map>

namespace atende::server::db {

namespace {

// Session-level advisory lock that serialises migrators across instances: "atende" in ASCII + 0001.
constexpr qint64 kMigrationLockKey = 0x6174656E64650001;

constexpr auto kSchemaTooNew = "schema_too_new";
constexpr auto kChecksumMismatch = "checksum_mismatch";
constexpr auto kMigrationFailed = "migration_failed";

QString migrationLabel(int version, const QString &name)
{
    return QStringLiteral("%1_%2").arg(version, 4, 10, QLatin1Char('0')).arg(name);
}

QString pgMessage(const QSqlError &e)
{
    const QString text = e.databaseText().trimmed();
    return text.isEmpty() ? e.text().trimmed() : text;
}

atende::core::Error dbError(const QString &what, const QSqlError &e)
{
    return atende::core::Error::make(atende::core::errc::kUnavailable, QStringLiteral("%1: %2").arg(what, pgMessage(e)),
                                     QJsonObject{{QStringLiteral("sqlstate"), e.nativeErrorCode()}});
}

// Runs SQL that may hold several statements. QPSQL sends text without bound values as one simple-protocol
// query, so several statements are fine, but QSqlQuery::exec() only reports the FIRST statement's result:
// a failure in a later one only surfaces while stepping through the results with nextResult().
bool execScript(QSqlQuery &q, const QString &sql)
{
    if (!q.exec(sql))
        return false;
    while (q.nextResult()) {
    }
    return !q.lastError().isValid();
}

QByteArray sha256Hex(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex();
}

// Holds pg_advisory_lock for the lifetime of the object; released even when migrate() fails half-way. If
// the connection itself died, PostgreSQL has released the lock with the session.
class AdvisoryLock {
public:
    explicit AdvisoryLock(QSqlDatabase &db)
        : m_db(db)
    {}
    ~AdvisoryLock()
    {
        if (!m_held)
            return;
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT pg_advisory_unlock(%1)").arg(kMigrationLockKey)))
            qCWarning(lcDb) << "could not release the migration lock:" << pgMessage(q.lastError());
    }
    AdvisoryLock(const AdvisoryLock &) = delete;
    AdvisoryLock &operator=(const AdvisoryLock &) = delete;

    atende::core::Status acquire()
    {
        QSqlQuery q(m_db);
        if (!q.exec(QStringLiteral("SELECT pg_try_advisory_lock(%1)").arg(kMigrationLockKey)) || !q.next())
            return dbError(QStringLiteral("could not take the migration lock"), q.lastError());
        if (!q.value(0).toBool()) {
            qCInfo(lcDb) << "another instance is migrating the database; waiting for it";
            if (!q.exec(QStringLiteral("SELECT pg_advisory_lock(%1)").arg(kMigrationLockKey)))
                return dbError(QStringLiteral("could not take the migration lock"), q.lastError());
        }
        m_held = true;
        return {};
    }

private:
    QSqlDatabase &m_db;
    bool m_held = false;
};

struct Applied {
    QString name;
    QByteArray checksum;
};

} // namespace

QList<Migration> Migrator::builtIn()
{
    static const QRegularExpression fileName(QStringLiteral("^(\\d{4})_([A-Za-z0-9_]+)\\.sql$"));
    const QDir dir(QStringLiteral(":/atende/migrations"));
    QList<Migration> out;
    const QStringList files = dir.entryList({QStringLiteral("*.sql")}, QDir::Files, QDir::Name);
    for (const QString &file : files) {
        QFile f(dir.filePath(file));
        Migration m;
        const QRegularExpressionMatch match = fileName.match(file);
        if (match.hasMatch()) {
            m.version = match.captured(1).toInt();
            m.name = match.captured(2);
        } else {
            // Version 0 makes migrate() refuse to run: a misnamed file is a build mistake, not a skip.
            qCCritical(lcDb) << "migration file name must look like NNNN_name.sql:" << file;
            m.name = file;
        }
        if (f.open(QIODevice::ReadOnly))
            m.sql = f.readAll();
        m.checksum = sha256Hex(m.sql);
        out << m;
    }
    std::sort(out.begin(), out.end(), [](const Migration &a, const Migration &b) { return a.version < b.version; });
    return out;
}

Migrator::Migrator(QList<Migration> migrations)
    : m_migrations(std::move(migrations))
{
    for (Migration &m : m_migrations) {
        if (m.checksum.isEmpty())
            m.checksum = sha256Hex(m.sql);
    }
    std::stable_sort(m_migrations.begin(), m_migrations.end(),
                     [](const Migration &a, const Migration &b) { return a.version < b.version; });
}

int Migrator::latestVersion() const
{
    return m_migrations.isEmpty() ? 0 : m_migrations.constLast().version;
}

atende::core::Result<int> Migrator::currentVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('schema_migrations') IS NOT NULL")) || !q.next())
        return dbError(QStringLiteral("could not read the schema version"), q.lastError());
    if (!q.value(0).toBool())
        return 0;
    if (!q.exec(QStringLiteral("SELECT coalesce(max(version), 0) FROM schema_migrations")) || !q.next())
        return dbError(QStringLiteral("could not read the schema version"), q.lastError());
    return q.value(0).toInt();
}

atende::core::Result<int> Migrator::migrate(QSqlDatabase &db) const
{
    for (qsizetype i = 0; i < m_migrations.size(); ++i) {
        const Migration &m = m_migrations.at(i);
        if (m.version <= 0 || (i > 0 && m_migrations.at(i - 1).version == m.version))
            return atende::core::Error::make(
                atende::core::errc::kInternal,
                QStringLiteral("invalid migration list: bad or duplicate version for %1").arg(m.name));
    }

    AdvisoryLock lock(db);
    if (auto s = lock.acquire(); !s.ok())
        return s.error();

    // Created under the lock: two sessions racing on CREATE TABLE IF NOT EXISTS can still collide in pg_type.
    // Looked up first so that PostgreSQL does not send an "already exists, skipping" NOTICE every start.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT to_regclass('schema_migrations') IS NULL")) || !q.next())
        return dbError(QStringLiteral("could not look for schema_migrations"), q.lastError());
    if (q.value(0).toBool() && !q.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS schema_migrations ("
                                                      " version int PRIMARY KEY,"
                                                      " name text NOT NULL,"
                                                      " checksum text NOT NULL,"
                                                      " applied_at timestamptz NOT NULL DEFAULT now())")))
        return dbError(QStringLiteral("could not create schema_migrations"), q.lastError());

    std::map<int, Applied> applied;
    if (!q.exec(QStringLiteral("SELECT version, name, checksum FROM schema_migrations ORDER BY version")))
        return dbError(QStringLiteral("could not read schema_migrations"), q.lastError());
    while (q.next())
        applied[q.value(0).toInt()] = Applied{q.value(1).toString(), q.value(2).toString().toLatin1()};
    q.finish();

    const int known = latestVersion();
    if (!applied.empty() && applied.rbegin()->first > known) {
        const int dbVersion = applied.rbegin()->first;
        return atende::core::Error::make(
            kSchemaTooNew,
            QStringLiteral("database schema version %1 is newer than this atende-server "
                           "(knows up to %2); upgrade atende-server")
                .arg(dbVersion)
                .arg(known),
            QJsonObject{{QStringLiteral("databaseVersion"), dbVersion}, {QStringLiteral("knownVersion"), known}});
    }

    for (const auto &[version, row] : applied) {
        const auto it = std::find_if(m_migrations.cbegin(), m_migrations.cend(),
                                     [v = version](const Migration &m) { return m.version == v; });
        const QString label = migrationLabel(version, row.name);
        if (it == m_migrations.cend())
            return atende::core::Error::make(
                kChecksumMismatch,
                QStringLiteral("migration %1 is recorded in the database but is not part of "
                               "this atende-server")
                    .arg(label),
                QJsonObject{{QStringLiteral("version"), version}});
        if (it->checksum != row.checksum)
            return atende::core::Error::make(
                kChecksumMismatch,
                QStringLiteral("migration %1 was changed after it was applied (checksum %2 in "
                               "the database, %3 in this atende-server); never edit an "
                               "applied migration, add a new one")
                    .arg(label, QString::fromLatin1(row.checksum.left(12)), QString::fromLatin1(it->checksum.left(12))),
                QJsonObject{{QStringLiteral("version"), version}});
    }

    int current = applied.empty() ? 0 : applied.rbegin()->first;
    for (const Migration &m : m_migrations) {
        if (applied.count(m.version))
            continue;
        const QString label = migrationLabel(m.version, m.name);
        QElapsedTimer timer;
        timer.start();
        auto fail = [&](const QSqlError &e) {
            db.rollback();
            qCWarning(lcDb) << "migration" << label << "failed:" << e.nativeErrorCode();
            return atende::core::Error::make(
                kMigrationFailed, QStringLiteral("migration %1 failed: %2").arg(label, pgMessage(e)),
                QJsonObject{{QStringLiteral("version"), m.version}, {QStringLiteral("sqlstate"), e.nativeErrorCode()}});
        };
        if (!db.transaction())
            return fail(db.lastError());
        QSqlQuery step(db);
        // A statement_timeout meant for API queries (role or connect options) must not cut a migration short.
        if (!step.exec(QStringLiteral("SET LOCAL statement_timeout = 0")))
            return fail(step.lastError());
        if (!execScript(step, QString::fromUtf8(m.sql)))
            return fail(step.lastError());
        step.finish();
        db::Query record(db,
                         QStringLiteral("INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)"));
        record.addBindValue(m.version);
        record.addBindValue(m.name);
        record.addBindValue(QString::fromLatin1(m.checksum));
        if (!record.exec())
            return fail(record.lastError());
        if (!db.commit())
            return fail(db.lastError());
        if (m.version < current)
            qCWarning(lcDb) << "applied migration" << label << "out of order (database was at" << current << ")";
        current = std::max(current, m.version);
        qCInfo(lcDb) << "applied migration" << label << "in" << timer.elapsed() << "ms";
    }
    return current;
}

} // namespace atende::server::db
