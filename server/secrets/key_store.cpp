#include "server/secrets/key_store.h"

#include "server/db/sql_util.h"
#include "server/secrets/logging.h"
#include "server/secrets/platform_key.h"
#include "server/security/envelope.h"

#include <QMutexLocker>
#include <QSqlQuery>

#include <optional>

namespace atende::server::secrets {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

QString uuidText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

Result<std::optional<QByteArray>> readTenantKey(QSqlDatabase &db, const QUuid &tenant)
{
    db::Query q(db, QStringLiteral("SELECT wrapped_data_key FROM tenant_keys WHERE tenant_id = ?"));
    q.addBindValue(uuidText(tenant));
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    if (!q.next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(q.value(0).toByteArray());
}

// Inserts a fresh key unless one exists. The key when this call inserted it, nullopt when another
// transaction had already stored one (we waited for its commit on the primary key).
Result<std::optional<security::DataKey>> insertTenantKey(QSqlDatabase &db, const QUuid &tenant,
                                                         const security::MasterKey &master)
{
    Result<security::DataKey> fresh = security::DataKey::generate();
    if (!fresh.ok())
        return fresh.error();
    Result<QByteArray> wrapped = security::Envelope::wrap(fresh.value(), master);
    if (!wrapped.ok())
        return wrapped.error();
    db::Query q(db,
                QStringLiteral("INSERT INTO tenant_keys (tenant_id, wrapped_data_key, master_key_id) VALUES (?, ?, ?) "
                               "ON CONFLICT (tenant_id) DO NOTHING RETURNING tenant_id"));
    q.addBindValue(uuidText(tenant));
    q.addBindValue(wrapped.value());
    q.addBindValue(master.keyId());
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    if (!q.next())
        return std::optional<security::DataKey>();
    qCInfo(lcSecrets).noquote() << "created data key" << fresh->keyIdHex() << "for tenant" << uuidText(tenant);
    return std::optional<security::DataKey>(std::move(fresh).value());
}

Result<security::DataKey> unwrapTenantKey(const QByteArray &wrapped, const security::MasterKey &master)
{
    if (Status st = checkWrappedBy(wrapped, master, QStringLiteral("tenant_keys")); !st.ok())
        return st.error();
    return security::Envelope::unwrap(wrapped, master);
}

} // namespace

KeyStore::KeyStore(security::MasterKey master)
    : m_master(std::move(master))
{}

Result<std::shared_ptr<KeyStore>> KeyStore::open(const MasterKeySource &source, QSqlDatabase &db)
{
    Result<security::MasterKey> master = source.load();
    if (!master.ok()) {
        Error e = master.error();
        e.message = QStringLiteral("cannot load the %1: %2").arg(source.describe(), e.message);
        return e;
    }
    return open(std::move(master).value(), db);
}

Result<std::shared_ptr<KeyStore>> KeyStore::open(security::MasterKey master, QSqlDatabase &db)
{
    auto store = std::make_shared<KeyStore>(std::move(master));
    if (Status st = store->verify(db); !st.ok())
        return st.error();
    qCInfo(lcSecrets).noquote() << "master key" << store->m_master.keyIdHex() << "opens the stored keys";
    return store;
}

Status KeyStore::verify(QSqlDatabase &db) const
{
    return db::transaction(db, [&]() -> Status {
        Result<security::DataKey> platform = PlatformKey::getOrCreate(db, m_master);
        if (!platform.ok())
            return platform.error();
        // Outside a tenant this sees rows only when the owner is a superuser or has BYPASSRLS (the embedded
        // cluster's user); platform_keys above is the check that always works.
        db::Query q(db, QStringLiteral("SELECT wrapped_data_key FROM tenant_keys WHERE master_key_id <> ? LIMIT 1"));
        q.addBindValue(m_master.keyId());
        if (Status st = db::exec(q); !st.ok())
            return st;
        if (q.next()) {
            Result<security::DataKey> key = unwrapTenantKey(q.value(0).toByteArray(), m_master);
            if (!key.ok())
                return key.error();
        }
        return {};
    });
}

Result<security::DataKey> KeyStore::tenantKey(QSqlDatabase &db, const QUuid &tenant)
{
    {
        const QMutexLocker lock(&m_mutex);
        if (const auto it = m_cache.find(tenant); it != m_cache.end())
            return it->second;
    }
    Result<std::optional<QByteArray>> wrapped = readTenantKey(db, tenant);
    if (!wrapped.ok())
        return wrapped.error();
    if (!wrapped.value()) {
        Result<std::optional<security::DataKey>> inserted = insertTenantKey(db, tenant, m_master);
        if (!inserted.ok())
            return inserted.error();
        if (inserted.value())
            return *inserted.value(); // not cached: this transaction may still roll back
        wrapped = readTenantKey(db, tenant);
        if (!wrapped.ok())
            return wrapped.error();
        if (!wrapped.value())
            return Error::make(atende::core::errc::kInternal, QStringLiteral("tenant key vanished"));
    }
    Result<security::DataKey> key = unwrapTenantKey(*wrapped.value(), m_master);
    if (!key.ok())
        return key.error();
    const QMutexLocker lock(&m_mutex);
    m_cache.insert_or_assign(tenant, key.value());
    return key;
}

QByteArray KeyStore::associatedData(const QUuid &tenant, QStringView purpose)
{
    return uuidText(tenant).toLatin1() + '/' + purpose.toUtf8();
}

Result<QByteArray> KeyStore::encryptFor(QSqlDatabase &db, const QUuid &tenant, QByteArrayView plaintext,
                                        QStringView purpose)
{
    Result<security::DataKey> key = tenantKey(db, tenant);
    if (!key.ok())
        return key.error();
    return security::Envelope::encrypt(plaintext, key.value(), associatedData(tenant, purpose));
}

Result<QByteArray> KeyStore::decryptFor(QSqlDatabase &db, const QUuid &tenant, QByteArrayView ciphertext,
                                        QStringView purpose)
{
    Result<security::DataKey> key = tenantKey(db, tenant);
    if (!key.ok())
        return key.error();
    return security::Envelope::decrypt(ciphertext, key.value(), associatedData(tenant, purpose));
}

void KeyStore::clearCache()
{
    const QMutexLocker lock(&m_mutex);
    m_cache.clear();
}

} // namespace atende::server::secrets
