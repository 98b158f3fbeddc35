#pragma once
// The module's logging category, `atende.server.secrets`. Key ids only, never key material.

#include <QLoggingCategory>

namespace atende::server::secrets {
Q_DECLARE_LOGGING_CATEGORY(lcSecrets)
} // namespace atende::server::secrets
