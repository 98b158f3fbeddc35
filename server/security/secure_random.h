#pragma once
// Cryptographically secure random bytes from OpenSSL's DRBG. Returns an error instead of weak bytes when
// the generator cannot be seeded; callers must never fall back to another source.

#include "common/core/result.h"

#include <QByteArray>

namespace atende::server::security {

atende::core::Result<QByteArray> secureRandomBytes(qsizetype count);

} // namespace atende::server::security
