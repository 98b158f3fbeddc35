#include "server/secrets/signing_key_store.h"

#include "server/db/sql_util.h"
#include "server/secrets/logging.h"
#include "server/secrets/platform_key.h"
#include "server/security/envelope.h"
#include "server/security/secure_random.h"

#include <QSqlQuery>

#include <openssl/crypto.h>

#include <optional>
#include <vector>

namespace atende::server::secrets {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;

namespace {

// pg_advisory_xact_lock key of signing key creation ("atende-signing" folded into 64 bits).
constexpr qint64 kSigningKeyLock = 0x61746e6473676e31LL;

struct StoredKey {
    QString kid;
    QByteArray publicKey;
    QByteArray encryptedPrivateKey;
    QDateTime activatesAt;
    QDateTime retiresAt;
};

QString timestampText(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

// Keys still good for verification at `now`, newest first.
Result<std::vector<StoredKey>> readKeys(QSqlDatabase &db, const QDateTime &now)
{
    db::Query q(db, QStringLiteral("SELECT kid, public_key, encrypted_private_key, "
                                   "(extract(epoch FROM activates_at) * 1000)::bigint, "
                                   "(extract(epoch FROM retires_at) * 1000)::bigint "
                                   "FROM signing_keys WHERE algorithm = 'EdDSA' AND expires_at > ?::timestamptz "
                                   "ORDER BY activates_at DESC, kid"));
    q.addBindValue(timestampText(now));
    if (Status st = db::exec(q); !st.ok())
        return st.error();
    std::vector<StoredKey> out;
    while (q.next())
        out.push_back(StoredKey{q.value(0).toString(), q.value(1).toByteArray(), q.value(2).toByteArray(),
                                QDateTime::fromMSecsSinceEpoch(q.value(3).toLongLong(), Qt::UTC),
                                QDateTime::fromMSecsSinceEpoch(q.value(4).toLongLong(), Qt::UTC)});
    return out;
}

// The key that signs at `now`: the newest one activated, not retired and not older than the policy allows.
const StoredKey *activeKey(const std::vector<StoredKey> &keys, const QDateTime &now,
                           const SigningKeyStore::Policy &policy)
{
    const QDateTime oldestAllowed = now.addDays(-policy.rotateAfterDays);
    for (const StoredKey &k : keys) {
        if (k.activatesAt <= now && k.retiresAt > now && k.activatesAt > oldestAllowed)
            return &k;
    }
    return nullptr;
}

Result<QString> newKid(const QDateTime &now)
{
    Result<QByteArray> random = security::secureRandomBytes(6);
    if (!random.ok())
        return random.error();
    return now.toUTC().toString(QStringLiteral("yyyyMMdd")) + QLatin1Char('-') +
           QString::fromLatin1(random.value().toHex());
}

Status createKey(QSqlDatabase &db, const security::DataKey &platform, const QDateTime &now,
                 const SigningKeyStore::Policy &policy)
{
    Result<QString> kid = newKid(now);
    if (!kid.ok())
        return kid.error();
    Result<security::SigningKey> key = security::SigningKey::generate(kid.value());
    if (!key.ok())
        return key.error();
    QByteArray raw = key->rawPrivateKey();
    Result<QByteArray> encrypted =
        security::Envelope::encrypt(raw, platform, SigningKeyStore::associatedData(kid.value()));
    OPENSSL_cleanse(raw.data(), size_t(raw.size()));
    if (!encrypted.ok())
        return encrypted.error();
    const QDateTime retires = now.addDays(policy.rotateAfterDays);
    db::Query q(db, QStringLiteral("INSERT INTO signing_keys (kid, algorithm, public_key, encrypted_private_key, "
                                   "activates_at, retires_at, expires_at) "
                                   "VALUES (?, 'EdDSA', ?, ?, ?::timestamptz, ?::timestamptz, ?::timestamptz)"));
    q.addBindValue(kid.value());
    q.addBindValue(key->rawPublicKey());
    q.addBindValue(encrypted.value());
    q.addBindValue(timestampText(now));
    q.addBindValue(timestampText(retires));
    q.addBindValue(timestampText(retires.addDays(policy.retainDays)));
    if (Status st = db::exec(q); !st.ok())
        return st;
    // Keys past expires_at verify nothing any more; drop them while we hold the lock.
    db::Query purge(db, QStringLiteral("DELETE FROM signing_keys WHERE expires_at <= ?::timestamptz"));
    purge.addBindValue(timestampText(now));
    if (Status st = db::exec(purge); !st.ok())
        return st;
    qCInfo(lcSecrets).noquote() << "created JWT signing key" << kid.value() << "retiring at" << timestampText(retires);
    return {};
}

Result<security::SigningKey> openPrivate(const StoredKey &stored, const security::DataKey &platform)
{
    Result<QByteArray> raw =
        security::Envelope::decrypt(stored.encryptedPrivateKey, platform, SigningKeyStore::associatedData(stored.kid));
    if (!raw.ok())
        return raw.error();
    Result<security::SigningKey> key = security::SigningKey::fromPrivateKey(stored.kid, raw.value());
    OPENSSL_cleanse(raw->data(), size_t(raw->size()));
    if (!key.ok())
        return key.error();
    if (key->rawPublicKey() != stored.publicKey)
        return Error::make(atende::core::errc::kInternal,
                           QStringLiteral("signing key %1: private and public halves do not match").arg(stored.kid));
    return key;
}

Result<security::KeyRing> buildRing(const std::vector<StoredKey> &keys, const StoredKey &active,
                                    const security::DataKey &platform)
{
    security::KeyRing ring;
    for (const StoredKey &k : keys) {
        Result<security::SigningKey> key =
            &k == &active ? openPrivate(k, platform) : security::SigningKey::fromPublicKey(k.kid, k.publicKey);
        if (!key.ok())
            return key.error();
        if (Status st = ring.add(std::move(key).value()); !st.ok())
            return st.error();
    }
    if (Status st = ring.setActive(active.kid); !st.ok())
        return st.error();
    return ring;
}

} // namespace

QByteArray SigningKeyStore::associatedData(const QString &kid)
{
    return QByteArrayLiteral("signing_keys/") + kid.toUtf8();
}

Result<security::KeyRing> SigningKeyStore::load(QSqlDatabase &db, const security::MasterKey &master,
                                                const QDateTime &now, const Policy &policy)
{
    if (policy.rotateAfterDays < 1 || policy.retainDays < 1)
        return Error::make(atende::core::errc::kInvalidArgument,
                           QStringLiteral("signing key rotation and retention must be at least one day"));
    return db::transaction(db, [&]() -> Result<security::KeyRing> {
        Result<security::DataKey> platform = PlatformKey::getOrCreate(db, master);
        if (!platform.ok())
            return platform.error();
        Result<std::vector<StoredKey>> keys = readKeys(db, now);
        if (!keys.ok())
            return keys.error();
        if (!activeKey(keys.value(), now, policy)) {
            // Serialise creation across instances, then look again: whoever held the lock before us may
            // have created the key we need (READ COMMITTED, so the next statement sees its commit).
            db::Query lock(db, QStringLiteral("SELECT pg_advisory_xact_lock(?)"));
            lock.addBindValue(kSigningKeyLock);
            if (Status st = db::exec(lock); !st.ok())
                return st.error();
            keys = readKeys(db, now);
            if (!keys.ok())
                return keys.error();
            if (!activeKey(keys.value(), now, policy)) {
                if (Status st = createKey(db, platform.value(), now, policy); !st.ok())
                    return st.error();
                keys = readKeys(db, now);
                if (!keys.ok())
                    return keys.error();
            }
        }
        const StoredKey *active = activeKey(keys.value(), now, policy);
        if (!active)
            return Error::make(atende::core::errc::kInternal, QStringLiteral("no active signing key after creation"));
        return buildRing(keys.value(), *active, platform.value());
    });
}

} // namespace atende::server::secrets
