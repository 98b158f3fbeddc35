#pragma once
// Opaque bearer tokens (refresh tokens, integration API tokens): a kind prefix + 32 random bytes in
// base64url, e.g. "atr_" + 43 characters. The prefix lets secret scanners and humans recognise a leaked
// token and lets the server reject the wrong kind before any lookup. Only tokenHash() (SHA-256, hex) is
// ever stored: 256 random bits need no slow hash, and a database leak does not leak usable tokens.

#include "common/core/result.h"

#include <QByteArray>
#include <QString>
#include <QStringView>

#include <optional>

namespace atende::server::security {

enum class TokenKind {
    Refresh, // "atr_"
    Api,     // "atk_"
};

inline constexpr qsizetype kTokenRandomBytes = 32;

QLatin1String tokenPrefix(TokenKind kind);
atende::core::Result<QString> generateToken(TokenKind kind);
// The kind of a well-formed token (right prefix, right length, canonical base64url), else nullopt.
std::optional<TokenKind> tokenKind(QStringView token);
// Lower-case hex SHA-256 of the token text: the value stored and looked up in the database.
QString tokenHash(QStringView token);

} // namespace atende::server::security
