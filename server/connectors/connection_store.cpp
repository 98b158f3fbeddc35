#include "server/connectors/connection_store.h"

#include "server/accounts/sql_values.h"
#include "server/api/permissions.h"
#include "server/db/sql_util.h"
#include "server/desk/connection_repository.h"
#include "server/desk/desk_proto.h"
#include "server/secrets/key_store.h"
#include "server/security/envelope.h"

#include <QSqlQuery>

namespace atende::server::connectors {

namespace sql = atende::server::accounts::sql;
namespace errc = atende::core::errc;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

const QString kCredentialsPurpose = QStringLiteral("whatsapp_sessions/credentials");
const QString kPreKeyPurpose = QStringLiteral("whatsapp_prekeys/key_pair");

QVariant nullableTime(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toUTC()) : QVariant(QMetaType::fromType<QDateTime>());
}

QDateTime timeOf(const QVariant &v)
{
    return v.isNull() ? QDateTime() : v.toDateTime().toUTC();
}

Error notOwner()
{
    return Error::make(errc::kConflict, QStringLiteral("this instance does not own the connection"),
                       QJsonObject{{QStringLiteral("reason"), QStringLiteral("not_owner")}});
}

} // namespace

Result<SessionRow> ConnectionStore::load(QSqlDatabase &db, secrets::KeyStore *keys, const QUuid &tenantId,
                                         const QUuid &connectionId, bool forUpdate)
{
    db::Query q(db,
                QStringLiteral(
                    "SELECT c.kind, c.deleted_at IS NOT NULL, s.connection_id IS NOT NULL, coalesce(s.wanted, false), "
                    "coalesce(s.needs_pairing, true), coalesce(s.paired, false), s.credentials, "
                    "coalesce(s.state, 'disconnected'), coalesce(s.state_reason, ''), s.state_since, s.last_frame_at, "
                    "s.connected_at, coalesce(s.reconnects, 0), coalesce(s.owner_instance_id, ''), "
                    "coalesce(s.command_seq, 0), coalesce(s.command_done_seq, 0), coalesce(s.command, ''), "
                    "coalesce(s.pairing_method, ''), coalesce(s.pairing_phone, '') "
                    "FROM connections c LEFT JOIN whatsapp_sessions s "
                    "  ON s.tenant_id = c.tenant_id AND s.connection_id = c.id "
                    "WHERE c.tenant_id = ?::uuid AND c.id = ?::uuid") +
                    (forUpdate ? QStringLiteral(" FOR UPDATE OF c") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    if (!q.next())
        return Error::make(errc::kNotFound, QStringLiteral("no such connection"));
    SessionRow r;
    r.tenantId = tenantId;
    r.connectionId = connectionId;
    r.kind = q.value(0).toString();
    r.connectionDeleted = q.value(1).toBool();
    r.exists = q.value(2).toBool();
    r.wanted = q.value(3).toBool();
    r.needsPairing = q.value(4).toBool();
    r.paired = q.value(5).toBool();
    const QByteArray blob = q.value(6).toByteArray();
    r.state = q.value(7).toString();
    r.reason = q.value(8).toString();
    r.since = timeOf(q.value(9));
    r.lastFrameAt = timeOf(q.value(10));
    r.connectedAt = timeOf(q.value(11));
    r.reconnects = q.value(12).toInt();
    r.owner = q.value(13).toString();
    r.commandSeq = q.value(14).toLongLong();
    r.commandDoneSeq = q.value(15).toLongLong();
    r.command = q.value(16).toString();
    r.pairingMethod = q.value(17).toString();
    r.pairingPhone = q.value(18).toString();
    if (keys && !blob.isEmpty()) {
        Result<QByteArray> plain = keys->decryptFor(db, tenantId, blob, kCredentialsPurpose);
        if (!plain.ok())
            return plain.error();
        r.credentials = plain.value();
    }
    return r;
}

Status ConnectionStore::ensureRow(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId)
{
    db::Query q(db, QStringLiteral("INSERT INTO whatsapp_sessions (tenant_id, connection_id) VALUES (?::uuid, ?::uuid) "
                                   "ON CONFLICT (tenant_id, connection_id) DO NOTHING"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    return db::exec(q);
}

Status ConnectionStore::saveCredentials(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                        const QUuid &connectionId, const QString &instanceId,
                                        const QByteArray &serialized, bool paired)
{
    Result<QByteArray> blob = keys.encryptFor(db, tenantId, serialized, kCredentialsPurpose);
    if (!blob.ok())
        return blob.error();
    QSqlQuery q(db);
    // A freshly paired account no longer needs pairing and should come back after every restart.
    q.prepare(QStringLiteral("UPDATE whatsapp_sessions SET credentials = ?, credentials_key_id = ?, paired = ?, "
                             "needs_pairing = needs_pairing AND NOT ?, wanted = wanted OR ?, updated_at = now() "
                             "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND owner_instance_id = ?"));
    q.addBindValue(blob.value());
    q.addBindValue(security::Envelope::keyIdOf(blob.value()).value_or(QByteArray()));
    q.addBindValue(paired);
    q.addBindValue(paired);
    q.addBindValue(paired);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(instanceId);
    if (Status s = db::exec(q); !s.ok())
        return s;
    return q.numRowsAffected() == 1 ? Status() : Status(notOwner());
}

Status ConnectionStore::savePreKeys(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                    const QUuid &connectionId, const QString &instanceId,
                                    const QList<PreKeyBlob> &preKeys)
{
    // Fence first: the row must be ours (and stays locked until COMMIT).
    db::Query own(
        db, QStringLiteral("SELECT 1 FROM whatsapp_sessions WHERE tenant_id = ?::uuid AND connection_id = ?::uuid "
                           "AND owner_instance_id = ? FOR UPDATE"));
    own.addBindValue(sql::text(tenantId));
    own.addBindValue(sql::text(connectionId));
    own.addBindValue(instanceId);
    if (Status s = db::exec(own); !s.ok())
        return s;
    if (!own.next())
        return notOwner();
    for (const PreKeyBlob &k : preKeys) {
        if (k.id < 1 || k.id > 0xFFFFFF)
            return Error::make(errc::kInvalidArgument, QStringLiteral("prekey id out of range"));
        Result<QByteArray> blob = keys.encryptFor(db, tenantId, k.keyPair, kPreKeyPurpose);
        if (!blob.ok())
            return blob.error();
        db::Query q(
            db, QStringLiteral("INSERT INTO whatsapp_prekeys (tenant_id, connection_id, prekey_id, key_pair, key_id) "
                               "VALUES (?::uuid, ?::uuid, ?, ?, ?) ON CONFLICT (tenant_id, connection_id, prekey_id) "
                               "DO UPDATE SET key_pair = EXCLUDED.key_pair, key_id = EXCLUDED.key_id"));
        q.addBindValue(sql::text(tenantId));
        q.addBindValue(sql::text(connectionId));
        q.addBindValue(int(k.id));
        q.addBindValue(blob.value());
        q.addBindValue(security::Envelope::keyIdOf(blob.value()).value_or(QByteArray()));
        if (Status s = db::exec(q); !s.ok())
            return s;
    }
    return {};
}

Result<QList<PreKeyBlob>> ConnectionStore::loadPreKeys(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                                       const QUuid &connectionId)
{
    db::Query q(db, QStringLiteral("SELECT prekey_id, key_pair FROM whatsapp_prekeys "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid ORDER BY prekey_id"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s.error();
    QList<PreKeyBlob> out;
    while (q.next()) {
        Result<QByteArray> plain = keys.decryptFor(db, tenantId, q.value(1).toByteArray(), kPreKeyPurpose);
        if (!plain.ok())
            return plain.error();
        out.append(PreKeyBlob{quint32(q.value(0).toUInt()), plain.value()});
    }
    return out;
}

Status ConnectionStore::clear(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId,
                              const QString &instanceId)
{
    db::Query q(db, QStringLiteral("UPDATE whatsapp_sessions SET credentials = NULL, credentials_key_id = NULL, "
                                   "paired = false, needs_pairing = true, wanted = false, pairing_secret = NULL, "
                                   "pairing_kind = NULL, pairing_valid_until = NULL, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND owner_instance_id = ?"));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(instanceId);
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return notOwner();
    db::Query d(db,
                QStringLiteral("DELETE FROM whatsapp_prekeys WHERE tenant_id = ?::uuid AND connection_id = ?::uuid"));
    d.addBindValue(sql::text(tenantId));
    d.addBindValue(sql::text(connectionId));
    return db::exec(d);
}

Status ConnectionStore::recordState(QSqlDatabase &db, accounts::Outbox &outbox, const QUuid &tenantId,
                                    const QUuid &connectionId, const QString &instanceId, const StateChange &change)
{
    db::Query q(db,
                QStringLiteral(
                    "UPDATE whatsapp_sessions SET state = ?, state_reason = ?, "
                    "state_since = CASE WHEN state = ? THEN state_since ELSE now() END, "
                    "last_frame_at = coalesce(?, last_frame_at), connected_at = ?, reconnects = ?, updated_at = now() "
                    "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND owner_instance_id = ?"));
    q.addBindValue(change.state);
    q.addBindValue(change.reason);
    q.addBindValue(change.state);
    q.addBindValue(nullableTime(change.lastFrameAt));
    q.addBindValue(nullableTime(change.connectedAt));
    q.addBindValue(change.reconnects);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(instanceId);
    if (Status s = db::exec(q); !s.ok())
        return s;
    if (q.numRowsAffected() != 1)
        return notOwner();

    db::Query c(db, QStringLiteral("UPDATE connections SET status = ?, updated_at = now() "
                                   "WHERE tenant_id = ?::uuid AND id = ?::uuid"));
    c.addBindValue(change.state);
    c.addBindValue(sql::text(tenantId));
    c.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(c); !s.ok())
        return s;

    db::Query e(db,
                QStringLiteral("INSERT INTO connection_events (tenant_id, connection_id, state, reason, instance_id) "
                               "VALUES (?::uuid, ?::uuid, ?, ?, ?)"));
    e.addBindValue(sql::text(tenantId));
    e.addBindValue(sql::text(connectionId));
    e.addBindValue(change.state);
    e.addBindValue(change.reason);
    e.addBindValue(instanceId);
    if (Status s = db::exec(e); !s.ok())
        return s;

    // A deleted connection (being logged out) is not_found for the desk: it gets no more events.
    Result<desk::ConnectionRecord> after = desk::ConnectionRepository::find(db, tenantId, connectionId);
    if (!after.ok())
        return after.error().code == QLatin1String(errc::kNotFound) ? Status() : Status(after.error());
    if (Status s =
            outbox.add(db, tenantId, api::perm::kConnectionsRead, desk::connectionChangedEvent(after.value(), false));
        !s.ok())
        return s;
    if (change.state == QLatin1String("logged_out")) {
        // The alert: someone with connections.manage has to pair the connection again.
        atende::api::v1::Event notice;
        notice.mutable_notice()->set_kind("connection_needs_pairing");
        notice.mutable_notice()->set_text(sql::text(connectionId).toStdString());
        if (Status s = outbox.add(db, tenantId, api::perm::kConnectionsManage, notice); !s.ok())
            return s;
    }
    return {};
}

Status ConnectionStore::markCommandDone(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId, qint64 seq)
{
    db::Query q(db, QStringLiteral("UPDATE whatsapp_sessions SET command_done_seq = greatest(command_done_seq, ?) "
                                   "WHERE tenant_id = ?::uuid AND connection_id = ?::uuid"));
    q.addBindValue(seq);
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    return db::exec(q);
}

} // namespace atende::server::connectors
