#include "server/security/data_key.h"

#include "server/security/error_codes.h"
#include "server/security/secure_random.h"

#include <openssl/crypto.h>

namespace atende::server::security {

namespace {
constexpr QByteArrayView kIdLabel = "data";
} // namespace

DataKey::DataKey(QByteArrayView raw)
    : m_key(raw, kIdLabel)
{}

atende::core::Result<DataKey> DataKey::generate()
{
    auto raw = secureRandomBytes(kSize);
    if (!raw)
        return raw.error();
    DataKey key(raw.value());
    OPENSSL_cleanse(raw->data(), size_t(raw->size()));
    return key;
}

atende::core::Result<DataKey> DataKey::fromRaw(QByteArrayView raw)
{
    if (raw.size() != kSize)
        return atende::core::Error::make(errc::kKeyInvalid, QStringLiteral("data key must be %1 bytes").arg(kSize));
    return DataKey(raw);
}

} // namespace atende::server::security
