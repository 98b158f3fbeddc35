#include "server/secrets/master_key_rotation.h"

#include "server/db/sql_util.h"
#include "server/secrets/error_codes.h"
#include "server/secrets/logging.h"
#include "server/security/envelope.h"

#include <QSqlQuery>

#include <utility>
#include <vector>

namespace atende::server::secrets {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

struct Row {
    QString key; // tenant id, or "1" for platform_keys
    QByteArray wrapped;
};

Status checkSeesEveryTenant(QSqlDatabase &db)
{
    db::Query q(db, QStringLiteral("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user"));
    if (Status st = db::exec(q); !st.ok())
        return st;
    if (q.next() && q.value(0).toBool())
        return {};
    return Error::make(errc::kRotationNeedsBypassRls,
                       QStringLiteral("rotating the master key needs a database user that sees every tenant "
                                      "(superuser or BYPASSRLS); configure database_url with such a user"));
}

Result<std::vector<Row>> readRows(QSqlDatabase &db, const QString &sql)
{
    db::Query q(db, sql);
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    std::vector<Row> rows;
    while (q.next())
        rows.push_back(Row{q.value(0).toString(), q.value(1).toByteArray()});
    return rows;
}

// Re-wraps the rows of one table; counts into report.
Status rewrapTable(QSqlDatabase &db, const QString &table, const QString &keyColumn, const security::MasterKey &current,
                   const security::MasterKey &next, RotationReport &report, int &seen)
{
    Result<std::vector<Row>> rows = readRows(
        db, QStringLiteral("SELECT %1::text, wrapped_data_key FROM %2 ORDER BY 1 FOR UPDATE").arg(keyColumn, table));
    if (!rows.ok())
        return rows.error();
    for (const Row &row : rows.value()) {
        ++seen;
        Result<QByteArray> rewrapped = security::Envelope::rewrap(row.wrapped, current, next);
        if (!rewrapped.ok()) {
            const std::optional<QByteArray> id = security::Envelope::keyIdOf(row.wrapped);
            Error e = rewrapped.error();
            e.message = QStringLiteral("%1 row %2 (wrapped by master key %3) opens with neither the current master "
                                       "key %4 nor the new one %5: %6")
                            .arg(table, row.key, id ? QString::fromLatin1(id->toHex()) : QStringLiteral("(malformed)"),
                                 current.keyIdHex(), next.keyIdHex(), e.message);
            return e;
        }
        if (rewrapped.value() == row.wrapped) {
            ++report.alreadyRotated;
            continue;
        }
        db::Query update(db, QStringLiteral("UPDATE %1 SET wrapped_data_key = ?, master_key_id = ? WHERE %2::text = ?")
                                 .arg(table, keyColumn));
        update.addBindValue(rewrapped.value());
        update.addBindValue(next.keyId());
        update.addBindValue(row.key);
        if (Status st = db::exec(update); !st.ok())
            return st;
        ++report.rewrapped;
    }
    return {};
}

} // namespace

Result<RotationReport> MasterKeyRotation::run(QSqlDatabase &db, const security::MasterKey &current,
                                              const security::MasterKey &next)
{
    if (Status st = checkSeesEveryTenant(db); !st.ok())
        return st.error();
    return db::transaction(db, [&]() -> Result<RotationReport> {
        // Readers go on; a running server that creates a tenant key meanwhile waits for our commit. Its row
        // is then wrapped by the old key: the next start with the new key refuses (master_key_mismatch)
        // until this command is run again with the old key configured. Hence: stop the servers first.
        if (Status st = db::exec(db, QStringLiteral("LOCK TABLE tenant_keys, platform_keys IN EXCLUSIVE MODE"));
            !st.ok())
            return st.error();
        RotationReport report;
        if (Status st = rewrapTable(db, QStringLiteral("platform_keys"), QStringLiteral("id"), current, next, report,
                                    report.platformKeys);
            !st.ok())
            return st.error();
        if (Status st = rewrapTable(db, QStringLiteral("tenant_keys"), QStringLiteral("tenant_id"), current, next,
                                    report, report.tenantKeys);
            !st.ok())
            return st.error();
        qCInfo(lcSecrets).noquote() << "master key rotation" << current.keyIdHex() << "->" << next.keyIdHex() << ":"
                                    << report.rewrapped << "re-wrapped," << report.alreadyRotated << "already done";
        return report;
    });
}

} // namespace atende::server::secrets
