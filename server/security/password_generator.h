#pragma once
// Generated passwords (new users without one, admin resets, the demo tenant): characters drawn uniformly
// (rejection sampling, no modulo bias) from 57 symbols without look-alikes (0/O, 1/l/I); the default 20
// characters give over 110 bits.

#include "common/core/result.h"

#include <QString>

namespace atende::server::security {

inline constexpr qsizetype kGeneratedPasswordLength = 20;

atende::core::Result<QString> generatePassword(qsizetype length = kGeneratedPasswordLength);

} // namespace atende::server::security
