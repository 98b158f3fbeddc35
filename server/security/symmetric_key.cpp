#include "server/security/symmetric_key.h"

#include "server/security/sha256.h"

#include <openssl/crypto.h>

#include <algorithm>

namespace atende::server::security {

SymmetricKey::SymmetricKey(QByteArrayView raw, QByteArrayView idLabel)
{
    Q_ASSERT(raw.size() == kSize);
    std::copy_n(reinterpret_cast<const unsigned char *>(raw.data()), std::min(raw.size(), kSize), m_key.begin());
    QByteArray material = QByteArrayLiteral("atende-key-id/v1/") + idLabel.toByteArray() + '/';
    material.append(reinterpret_cast<const char *>(m_key.data()), kSize);
    m_id = sha256(material).left(kIdSize);
    OPENSSL_cleanse(material.data(), size_t(material.size()));
}

SymmetricKey::~SymmetricKey()
{
    OPENSSL_cleanse(m_key.data(), m_key.size());
}

QByteArray SymmetricKey::toByteArray() const
{
    return QByteArray(reinterpret_cast<const char *>(m_key.data()), kSize);
}

} // namespace atende::server::security
