#include "app/core/logging.h"

namespace atende::app::core {
Q_LOGGING_CATEGORY(lcCore, "atende.app.core", QtInfoMsg)
} // namespace atende::app::core
