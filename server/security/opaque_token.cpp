#include "server/security/opaque_token.h"

#include "server/security/base64url.h"
#include "server/security/secure_random.h"
#include "server/security/sha256.h"

namespace atende::server::security {

QLatin1String tokenPrefix(TokenKind kind)
{
    switch (kind) {
    case TokenKind::Refresh: return QLatin1String("atr_");
    case TokenKind::Api: return QLatin1String("atk_");
    }
    return QLatin1String("");
}

atende::core::Result<QString> generateToken(TokenKind kind)
{
    auto random = secureRandomBytes(kTokenRandomBytes);
    if (!random)
        return random.error();
    return tokenPrefix(kind) + QString::fromLatin1(base64UrlEncode(*random));
}

std::optional<TokenKind> tokenKind(QStringView token)
{
    // 32 bytes -> 43 base64url characters without padding.
    constexpr qsizetype kBodyLength = (kTokenRandomBytes * 4 + 2) / 3;
    for (TokenKind kind : {TokenKind::Refresh, TokenKind::Api}) {
        const QLatin1String prefix = tokenPrefix(kind);
        if (token.size() != prefix.size() + kBodyLength || !token.startsWith(prefix))
            continue;
        const QStringView body = token.sliced(prefix.size());
        for (QChar c : body) {
            if (c.unicode() >= 128)
                return std::nullopt;
        }
        const auto decoded = base64UrlDecode(body.toLatin1());
        if (decoded && decoded->size() == kTokenRandomBytes)
            return kind;
        return std::nullopt;
    }
    return std::nullopt;
}

QString tokenHash(QStringView token)
{
    return QString::fromLatin1(sha256(token.toUtf8()).toHex());
}

} // namespace atende::server::security
