#include "server/security/master_key.h"

#include "server/security/error_codes.h"
#include "server/security/key_file.h"
#include "server/security/logging.h"
#include "server/security/secure_random.h"

#include <openssl/crypto.h>

namespace atende::server::security {

namespace {

using atende::core::Error;

constexpr QByteArrayView kIdLabel = "master";

class Wiped {
public:
    explicit Wiped(QByteArray bytes)
        : m_bytes(std::move(bytes))
    {}
    ~Wiped() { OPENSSL_cleanse(m_bytes.data(), size_t(m_bytes.size())); }
    Wiped(const Wiped &) = delete;
    Wiped &operator=(const Wiped &) = delete;
    const QByteArray &get() const { return m_bytes; }

private:
    QByteArray m_bytes;
};

} // namespace

MasterKey::MasterKey(QByteArrayView raw)
    : m_key(raw, kIdLabel)
{}

atende::core::Result<MasterKey> MasterKey::generate()
{
    auto raw = secureRandomBytes(kSize);
    if (!raw)
        return raw.error();
    const Wiped wiped(std::move(raw.value()));
    return MasterKey(wiped.get());
}

atende::core::Result<MasterKey> MasterKey::fromRaw(QByteArrayView raw)
{
    if (raw.size() != kSize)
        return Error::make(errc::kMasterKeyInvalid, QStringLiteral("master key must be %1 bytes").arg(kSize));
    return MasterKey(raw);
}

atende::core::Result<MasterKey> MasterKey::fromBase64(QByteArrayView base64)
{
    auto decoded = QByteArray::fromBase64Encoding(base64.trimmed().toByteArray(),
                                                  QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error::make(errc::kMasterKeyInvalid, QStringLiteral("master key value is not valid base64"));
    const Wiped raw(std::move(decoded.decoded));
    if (raw.get().size() != kSize)
        return Error::make(errc::kMasterKeyInvalid,
                           QStringLiteral("master key value must decode to %1 bytes, it decodes to %2")
                               .arg(kSize)
                               .arg(raw.get().size()));
    return MasterKey(raw.get());
}

atende::core::Result<MasterKey> MasterKey::loadFile(const QString &path)
{
    auto raw = KeyFile::read(path, kSize);
    if (!raw)
        return raw.error();
    const Wiped wiped(std::move(raw.value()));
    return MasterKey(wiped.get());
}

atende::core::Result<MasterKey> MasterKey::loadOrCreateFile(const QString &path)
{
    auto loaded = loadFile(path);
    if (loaded || !KeyFile::isNotFound(loaded.error()))
        return loaded;
    auto key = generate();
    if (!key)
        return key.error();
    const Wiped raw(key->key().toByteArray());
    auto created = KeyFile::create(path, raw.get());
    if (!created)
        return created.error();
    if (*created == KeyFile::CreateOutcome::AlreadyExists)
        return loadFile(path); // another instance won the race; use its key
    qCInfo(lcSecurity).noquote() << "created master key file" << path << "key id" << key->keyIdHex();
    return key;
}

atende::core::Status MasterKey::saveNewFile(const QString &path) const
{
    const Wiped raw(m_key.toByteArray());
    auto created = KeyFile::create(path, raw.get());
    if (!created)
        return created.error();
    if (*created == KeyFile::CreateOutcome::AlreadyExists)
        return Error::make(errc::kKeyFileIo, QStringLiteral("key file %1 already exists").arg(path),
                           {{QStringLiteral("path"), path}, {QStringLiteral("reason"), QStringLiteral("exists")}});
    return {};
}

QByteArray MasterKey::toBase64() const
{
    const Wiped raw(m_key.toByteArray());
    return raw.get().toBase64();
}

} // namespace atende::server::security
