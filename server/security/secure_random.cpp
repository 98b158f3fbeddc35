#include "server/security/secure_random.h"

#include "server/security/error_codes.h"

#include <openssl/rand.h>

#include <climits>

namespace atende::server::security {

atende::core::Result<QByteArray> secureRandomBytes(qsizetype count)
{
    if (count < 0 || count > INT_MAX)
        return atende::core::Error::make(errc::kCryptoFailed, QStringLiteral("invalid random byte count"));
    QByteArray out(count, Qt::Uninitialized);
    if (count > 0 && RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), int(count)) != 1)
        return atende::core::Error::make(errc::kCryptoFailed, QStringLiteral("RAND_bytes failed"));
    return out;
}

} // namespace atende::server::security
