#pragma once
// The module's one logging category, `atende.server.security`. Never log passwords, hashes, tokens, keys
// or key material of any kind; log key ids and error codes instead.

#include <QLoggingCategory>

namespace atende::server::security {
Q_DECLARE_LOGGING_CATEGORY(lcSecurity)
} // namespace atende::server::security
