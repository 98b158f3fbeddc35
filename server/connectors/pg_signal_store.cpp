#include "server/connectors/pg_signal_store.h"

#include "server/accounts/sql_values.h"
#include "server/connectors/connection_store.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/db/sql_util.h"
#include "server/secrets/key_store.h"
#include "server/security/envelope.h"

#include <QSqlQuery>

namespace atende::server::connectors {

namespace sql = atende::server::accounts::sql;
namespace errc = atende::core::errc;
using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using db::Finished;
using signal::SenderKeyName;
using signal::SignalAddress;

namespace {

const QString kSessions = QStringLiteral("whatsapp_signal_sessions");
const QString kIdentities = QStringLiteral("whatsapp_signal_identities");
const QString kSenderKeys = QStringLiteral("whatsapp_signal_sender_keys");

// "<table>/<connection>/<record key>": the associated data binds a blob to its row (the tenant is added
// by KeyStore).
QString purpose(const QString &table, const QUuid &connectionId, const QString &recordKey)
{
    return table + QLatin1Char('/') + sql::text(connectionId) + QLatin1Char('/') + recordKey;
}

Error corrupt(const QString &what)
{
    return Error::make(errc::kInternal, QStringLiteral("a stored Signal %1 key is malformed").arg(what));
}

Status upsert(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId, const QUuid &connectionId,
              const QString &table, const QString &column, const QString &groupId, const QString &address,
              const QByteArray &value)
{
    const QString recordKey = groupId.isNull() ? address : groupId + QLatin1Char('/') + address;
    Result<QByteArray> blob = keys.encryptFor(db, tenantId, value, purpose(table, connectionId, recordKey));
    if (!blob.ok())
        return blob.error();
    const bool grouped = !groupId.isNull();
    db::Query q(db,
                QStringLiteral("INSERT INTO %1 (tenant_id, connection_id, %2address, %3, key_id) "
                               "VALUES (?::uuid, ?::uuid, %4?, ?, ?) ON CONFLICT (tenant_id, connection_id, %2address) "
                               "DO UPDATE SET %3 = EXCLUDED.%3, key_id = EXCLUDED.key_id, updated_at = now()")
                    .arg(table, grouped ? QStringLiteral("group_id, ") : QString(), column,
                         grouped ? QStringLiteral("?, ") : QString()));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (grouped)
        q.addBindValue(groupId);
    q.addBindValue(address);
    q.addBindValue(blob.value());
    q.addBindValue(security::Envelope::keyIdOf(blob.value()).value_or(QByteArray()));
    return db::exec(q);
}

Status removeRow(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId, const QString &table,
                 const QString &address)
{
    db::Query q(db,
                QStringLiteral("DELETE FROM %1 WHERE tenant_id = ?::uuid AND connection_id = ?::uuid AND address = ?")
                    .arg(table));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    q.addBindValue(address);
    return db::exec(q);
}

// Reads (address, blob) rows of one table and decrypts them into `out`.
template <typename Key, typename MakeKey>
Status readTable(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId, const QUuid &connectionId,
                 const QString &table, const QString &column, bool grouped, MakeKey makeKey,
                 std::map<Key, QByteArray> &out)
{
    db::Query q(db, QStringLiteral("SELECT %1address, %2 FROM %3 WHERE tenant_id = ?::uuid AND connection_id = ?::uuid")
                        .arg(grouped ? QStringLiteral("group_id, ") : QString(), column, table));
    q.addBindValue(sql::text(tenantId));
    q.addBindValue(sql::text(connectionId));
    if (Status s = db::exec(q); !s.ok())
        return s;
    while (q.next()) {
        const QString groupId = grouped ? q.value(0).toString() : QString();
        const QString address = q.value(grouped ? 1 : 0).toString();
        const QByteArray blob = q.value(grouped ? 2 : 1).toByteArray();
        std::optional<SignalAddress> parsed = SignalAddress::fromString(address);
        if (!parsed)
            return corrupt(table);
        const QString recordKey = grouped ? groupId + QLatin1Char('/') + address : address;
        Result<QByteArray> plain = keys.decryptFor(db, tenantId, blob, purpose(table, connectionId, recordKey));
        if (!plain.ok())
            return plain.error();
        out[makeKey(groupId, *parsed)] = plain.value();
    }
    return {};
}

} // namespace

PgSignalStore::PgSignalStore(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, QUuid tenantId,
                             QUuid connectionId, QString instanceId)
    : m_db(db)
    , m_keys(std::move(keys))
    , m_tenantId(tenantId)
    , m_connectionId(connectionId)
    , m_instanceId(std::move(instanceId))
{}

Result<signal::SignalSnapshot> PgSignalStore::loadIn(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                                                     const QUuid &connectionId)
{
    signal::SignalSnapshot snapshot;
    auto byAddress = [](const QString &, const SignalAddress &a) {
        return a;
    };
    if (Status s = readTable(db, keys, tenantId, connectionId, kSessions, QStringLiteral("record"), false, byAddress,
                             snapshot.sessions);
        !s.ok())
        return s.error();
    if (Status s = readTable(db, keys, tenantId, connectionId, kIdentities, QStringLiteral("identity_key"), false,
                             byAddress, snapshot.identities);
        !s.ok())
        return s.error();
    auto bySender = [](const QString &group, const SignalAddress &a) {
        return SenderKeyName{group, a};
    };
    if (Status s = readTable(db, keys, tenantId, connectionId, kSenderKeys, QStringLiteral("record"), true, bySender,
                             snapshot.senderKeys);
        !s.ok())
        return s.error();
    Result<QList<PreKeyBlob>> preKeys = ConnectionStore::loadPreKeys(db, keys, tenantId, connectionId);
    if (!preKeys.ok())
        return preKeys.error();
    for (const PreKeyBlob &blob : preKeys.value()) {
        if (blob.keyPair.size() != 64)
            return corrupt(QStringLiteral("prekey"));
        snapshot.preKeys.append(whatsapp::PreKeyRecord{blob.id, {blob.keyPair.left(32), blob.keyPair.mid(32)}});
    }
    return snapshot;
}

Status PgSignalStore::flushIn(QSqlDatabase &db, secrets::KeyStore &keys, const QUuid &tenantId,
                              const QUuid &connectionId, const QString &instanceId,
                              const signal::SignalChanges &changes)
{
    // Fence: the connection must be ours; the share lock holds off a takeover until COMMIT.
    db::Query own(
        db, QStringLiteral("SELECT 1 FROM whatsapp_sessions WHERE tenant_id = ?::uuid AND connection_id = ?::uuid "
                           "AND owner_instance_id = ? FOR SHARE"));
    own.addBindValue(sql::text(tenantId));
    own.addBindValue(sql::text(connectionId));
    own.addBindValue(instanceId);
    if (Status s = db::exec(own); !s.ok())
        return s;
    if (!own.next())
        return Error::make(errc::kConflict, QStringLiteral("this instance does not own the connection"),
                           QJsonObject{{QStringLiteral("reason"), QStringLiteral("not_owner")}});

    for (const SignalAddress &a : changes.deletedSessions)
        if (Status s = removeRow(db, tenantId, connectionId, kSessions, a.toString()); !s.ok())
            return s;
    for (const auto &[address, record] : changes.sessions)
        if (Status s = upsert(db, keys, tenantId, connectionId, kSessions, QStringLiteral("record"), QString(),
                              address.toString(), record);
            !s.ok())
            return s;
    for (const auto &[address, key] : changes.identities) {
        Status s = key.isEmpty() ? removeRow(db, tenantId, connectionId, kIdentities, address.toString())
                                 : upsert(db, keys, tenantId, connectionId, kIdentities, QStringLiteral("identity_key"),
                                          QString(), address.toString(), key);
        if (!s.ok())
            return s;
    }
    for (const auto &[name, record] : changes.senderKeys)
        if (Status s =
                upsert(db, keys, tenantId, connectionId, kSenderKeys, QStringLiteral("record"),
                       name.groupId.isNull() ? QStringLiteral("") : name.groupId, name.sender.toString(), record);
            !s.ok())
            return s;
    if (!changes.removedPreKeys.empty()) {
        QStringList ids;
        for (quint32 id : changes.removedPreKeys)
            ids.append(QString::number(id));
        db::Query q(db,
                    QStringLiteral("DELETE FROM whatsapp_prekeys WHERE tenant_id = ?::uuid AND connection_id = ?::uuid "
                                   "AND prekey_id = ANY (?::int[])"));
        q.addBindValue(sql::text(tenantId));
        q.addBindValue(sql::text(connectionId));
        q.addBindValue(QStringLiteral("{") + ids.join(QLatin1Char(',')) + QStringLiteral("}"));
        if (Status s = db::exec(q); !s.ok())
            return s;
    }
    return {};
}

Status PgSignalStore::clearIn(QSqlDatabase &db, const QUuid &tenantId, const QUuid &connectionId)
{
    for (const QString &table : {kSessions, kIdentities, kSenderKeys, QStringLiteral("whatsapp_prekeys")}) {
        db::Query q(db,
                    QStringLiteral("DELETE FROM %1 WHERE tenant_id = ?::uuid AND connection_id = ?::uuid").arg(table));
        q.addBindValue(sql::text(tenantId));
        q.addBindValue(sql::text(connectionId));
        if (Status s = db::exec(q); !s.ok())
            return s;
    }
    return {};
}

QCoro::Task<Result<signal::SignalSnapshot>> PgSignalStore::load()
{
    const QUuid tenant = m_tenantId, id = m_connectionId;
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    QFuture<Result<signal::SignalSnapshot>> f = m_db.runTenantKeyed(
        writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) { return loadIn(d, *keys, tenant, id); });
    co_await Finished(f);
    co_return f.result();
}

QCoro::Task<Status> PgSignalStore::flush(signal::SignalChanges changes)
{
    if (changes.isEmpty())
        co_return Status();
    const QUuid tenant = m_tenantId, id = m_connectionId;
    const QString instance = m_instanceId;
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    auto batch = std::make_shared<const signal::SignalChanges>(std::move(changes));
    QFuture<Status> f = m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) {
        return flushIn(d, *keys, tenant, id, instance, *batch);
    });
    co_await Finished(f);
    co_return f.result();
}

QCoro::Task<Status> PgSignalStore::clear()
{
    const QUuid tenant = m_tenantId, id = m_connectionId;
    QFuture<Status> f =
        m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) { return clearIn(d, tenant, id); });
    co_await Finished(f);
    co_return f.result();
}

} // namespace atende::server::connectors
