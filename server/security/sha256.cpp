#include "server/security/sha256.h"

#include <openssl/sha.h>

namespace atende::server::security {

QByteArray sha256(QByteArrayView data)
{
    QByteArray out(SHA256_DIGEST_LENGTH, Qt::Uninitialized);
    static constexpr unsigned char kEmpty = 0;
    const auto *in = data.isEmpty() ? &kEmpty : reinterpret_cast<const unsigned char *>(data.data());
    SHA256(in, size_t(data.size()), reinterpret_cast<unsigned char *>(out.data()));
    return out;
}

} // namespace atende::server::security
