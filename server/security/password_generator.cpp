#include "server/security/password_generator.h"

#include "server/security/secure_random.h"

namespace atende::server::security {

atende::core::Result<QString> generatePassword(qsizetype length)
{
    static const QLatin1String kAlphabet("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
    const int n = int(kAlphabet.size());
    const int limit = 256 - (256 % n);
    QString out;
    while (out.size() < length) {
        atende::core::Result<QByteArray> bytes = secureRandomBytes(64);
        if (!bytes.ok())
            return bytes.error();
        for (const char c : bytes.value()) {
            const int v = int(static_cast<unsigned char>(c));
            if (v >= limit)
                continue;
            out.append(QLatin1Char(kAlphabet.at(v % n)));
            if (out.size() == length)
                break;
        }
    }
    return out;
}

} // namespace atende::server::security
