#pragma once
#include <QLoggingCategory>

namespace atende::app::core {
// "atende.app.core": connection monitoring, start-up options, localisation.
Q_DECLARE_LOGGING_CATEGORY(lcCore)
} // namespace atende::app::core
