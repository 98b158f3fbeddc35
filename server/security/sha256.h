#pragma once
// SHA-256 for token hashes and key ids (not for passwords: those use PasswordHasher).

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::security {

QByteArray sha256(QByteArrayView data); // 32 raw bytes

} // namespace atende::server::security
