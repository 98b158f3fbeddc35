#pragma once
// The module's one logging category, `atende.server.signal`. Never log keys, plaintexts or ciphertexts.

#include <QLoggingCategory>

namespace atende::server::signal {
Q_DECLARE_LOGGING_CATEGORY(lcSignal)
} // namespace atende::server::signal
