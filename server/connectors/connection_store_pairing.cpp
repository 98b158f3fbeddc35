// ConnectionStore: the pairing secret and the state timeline.

#include "server/accounts/sql_values.h"
#include "server/connectors/connection_store.h"
#include "server/db/sql_util.h"
#include "server/secrets/key_store.h"

#include <QSqlQuery>

namespace atende::server::connectors {

namespace sql = atende::server::accounts::sql;
namespace errc = atende::core::errc;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {
const QString kPairingPurpose = QStringLiteral("whatsapp_sessions/pairing_secret");
}

Status ConnectionStore::setPairingSecret(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                         const QUuid &connectionId, const QString &instanceId,
                                         const PairingSecret &secret)
{
    QVariant blob(QMetaType::fromType<QByteArray>());
    if (!secret.kind.isEmpty()) {
        Result<QByteArray> enc = keys.encryptFor(db, tenantId, secret.value.toUtf8(), kPairingPurpose);
        if (!enc.ok())
            return enc.error();
        blob = enc.value();
    }
    db::Query q(db, QStringLiteral("UPDATE whatsapp_sessions SET pairing_secret = ?, pairing_kind = ?, "
                                   "pairing_valid_until = ? "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND owner_instance_id = ?"));
    q.addBindValue(blob);
    q.addBindValue(sql::nullable(secret.kind));
    q.addBindValue(secret.kind.isEmpty() ? QVariant(QMetaType::fromType<QDateTime>())
                                         : QVariant(secret.validUntil.toUTC()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(instanceId);
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return Error::make(errc::kConflict, QStringLiteral("this instance does not own the connection"),
                           QJsonObject{{QStringLiteral("reason"), QStringLiteral("not_owner")}});
    return {};
}

Result<PairingSecret> ConnectionStore::pairingSecret(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                                     const QUuid &connectionId)
{
    db::Query q(db, QStringLiteral("SELECT pairing_secret, pairing_kind, pairing_valid_until FROM whatsapp_sessions "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid "
                                   "AND pairing_valid_until > now() AND pairing_secret IS NOT NULL"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    PairingSecret out;
    if (!q.next())
        return out;
    Result<QByteArray> plain = keys.decryptFor(db, tenantId, q.value(0).toByteArray(), kPairingPurpose);
    if (!plain.ok())
        return plain.error();
    out.kind = q.value(1).toString();
    out.value = QString::fromUtf8(plain.value());
    out.validUntil = q.value(2).toDateTime().toUTC();
    return out;
}

Result<QList<StateEventRow>> ConnectionStore::events(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                                                     qint64 beforeId, int limit)
{
    db::Query q(db, QStringLiteral("SELECT id, at, state, reason, instance_id FROM connection_events "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND (? = 0 OR id < ?) "
                                   "ORDER BY id DESC LIMIT ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(beforeId);
    q.addBindValue(beforeId);
    q.addBindValue(limit);
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<StateEventRow> out;
    while (q.next())
        out.append(StateEventRow{q.value(0).toLongLong(), q.value(1).toDateTime().toUTC(), q.value(2).toString(),
                                 q.value(3).toString(), q.value(4).toString()});
    return out;
}

} // namespace atende::server::connectors
