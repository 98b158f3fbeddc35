#include "server/secrets/platform_key.h"

#include "server/db/sql_util.h"
#include "server/secrets/error_codes.h"
#include "server/secrets/logging.h"
#include "server/security/envelope.h"

#include <QSqlQuery>

namespace atende::server::secrets {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

Status checkWrappedBy(QByteArrayView wrapped, const security::MasterKey &master, const QString &where)
{
    const std::optional<QByteArray> id = security::Envelope::keyIdOf(wrapped);
    if (!id)
        return Error::make(errc::kMasterKeyMismatch, QStringLiteral("%1 holds a malformed wrapped key").arg(where));
    if (*id == master.keyId())
        return {};
    const QString stored = QString::fromLatin1(id->toHex());
    return Error::make(
        errc::kMasterKeyMismatch,
        QStringLiteral("the keys in %1 are wrapped by master key %2, but the configured master key is "
                       "%3: wrong master_key_file or ATENDE_MASTER_KEY (or a rotation whose new key "
                       "was not configured); refusing to start")
            .arg(where, stored, master.keyIdHex()),
        {{QStringLiteral("storedKeyId"), stored}, {QStringLiteral("configuredKeyId"), master.keyIdHex()}});
}

namespace {

Result<std::optional<QByteArray>> readWrapped(QSqlDatabase &db)
{
    db::Query q(db, QStringLiteral("SELECT wrapped_data_key FROM platform_keys WHERE id = 1"));
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    if (!q.next())
        return std::optional<QByteArray>();
    return std::optional<QByteArray>(q.value(0).toByteArray());
}

Result<security::DataKey> openWrapped(const QByteArray &wrapped, const security::MasterKey &master)
{
    if (Status st = checkWrappedBy(wrapped, master, QStringLiteral("platform_keys")); !st.ok())
        return st.error();
    return security::Envelope::unwrap(wrapped, master);
}

} // namespace

Result<security::DataKey> PlatformKey::getOrCreate(QSqlDatabase &db, const security::MasterKey &master)
{
    Result<std::optional<QByteArray>> existing = readWrapped(db);
    if (!existing.ok())
        return existing.error();
    if (existing.value())
        return openWrapped(*existing.value(), master);

    Result<security::DataKey> fresh = security::DataKey::generate();
    if (!fresh.ok())
        return fresh.error();
    Result<QByteArray> wrapped = security::Envelope::wrap(fresh.value(), master);
    if (!wrapped.ok())
        return wrapped.error();
    db::Query insert(db,
                     QStringLiteral("INSERT INTO platform_keys (id, wrapped_data_key, master_key_id) VALUES (1, ?, ?) "
                                    "ON CONFLICT (id) DO NOTHING RETURNING id"));
    insert.addBindValue(wrapped.value());
    insert.addBindValue(master.keyId());
    if (Status st = db::exec(insert); !st.ok())
        return st.error();
    if (insert.next()) {
        qCInfo(lcSecrets).noquote() << "created the platform data key" << fresh->keyIdHex() << "wrapped by master key"
                                    << master.keyIdHex();
        return fresh;
    }
    // Another instance stored its key first (we waited for its commit on the primary key): use that one.
    existing = readWrapped(db);
    if (!existing.ok())
        return existing.error();
    if (!existing.value())
        return Error::make(atende::core::errc::kInternal, QStringLiteral("platform_keys row vanished"));
    return openWrapped(*existing.value(), master);
}

} // namespace atende::server::secrets
