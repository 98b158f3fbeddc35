#include "server/connectors/pg_session_store.h"

#include "server/connectors/connection_store.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"

namespace atende::server::connectors {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using db::Finished;

PgSessionStore::PgSessionStore(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys, QUuid tenantId,
                               QUuid connectionId, QString instanceId)
    : m_db(db)
    , m_keys(std::move(keys))
    , m_tenantId(tenantId)
    , m_connectionId(connectionId)
    , m_instanceId(std::move(instanceId))
{}

QCoro::Task<Status> PgSessionStore::saveCredentials(const whatsapp::Credentials &credentials)
{
    const QByteArray bytes = credentials.serialize();
    const bool paired = credentials.paired();
    const QUuid tenant = m_tenantId, id = m_connectionId;
    const QString instance = m_instanceId;
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    QFuture<Status> f = m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) {
        return ConnectionStore::saveCredentials(d, *keys, tenant, id, instance, bytes, paired);
    });
    co_await Finished(f);
    co_return f.result();
}

QCoro::Task<Status> PgSessionStore::savePreKeys(const QList<whatsapp::PreKeyRecord> &preKeys)
{
    QList<PreKeyBlob> blobs;
    blobs.reserve(preKeys.size());
    for (const whatsapp::PreKeyRecord &k : preKeys)
        blobs.append(PreKeyBlob{k.id, k.keyPair.privateKey + k.keyPair.publicKey});
    const QUuid tenant = m_tenantId, id = m_connectionId;
    const QString instance = m_instanceId;
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    QFuture<Status> f = m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) {
        return ConnectionStore::savePreKeys(d, *keys, tenant, id, instance, blobs);
    });
    co_await Finished(f);
    co_return f.result();
}

QCoro::Task<Status> PgSessionStore::clear()
{
    const QUuid tenant = m_tenantId, id = m_connectionId;
    const QString instance = m_instanceId;
    QFuture<Status> f = m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) {
        return ConnectionStore::clear(d, tenant, id, instance);
    });
    co_await Finished(f);
    co_return f.result();
}

QCoro::Task<Result<whatsapp::Credentials>> PgSessionStore::loadCredentials()
{
    const QUuid tenant = m_tenantId, id = m_connectionId;
    std::shared_ptr<secrets::KeyStore> keys = m_keys;
    QFuture<Result<SessionRow>> f = m_db.runTenantKeyed(writeKey(m_connectionId), tenant, [=](QSqlDatabase &d) {
        return ConnectionStore::load(d, keys.get(), tenant, id);
    });
    co_await Finished(f);
    Result<SessionRow> row = f.result();
    if (!row.ok())
        co_return row.error();
    if (row->credentials.isEmpty())
        co_return Error::make(atende::core::errc::kNotFound, QStringLiteral("no credentials stored"));
    co_return whatsapp::Credentials::parse(row->credentials);
}

} // namespace atende::server::connectors
