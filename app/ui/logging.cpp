#include "app/ui/logging.h"

namespace atende::app::ui {
Q_LOGGING_CATEGORY(lcUi, "atende.app.ui", QtInfoMsg)
} // namespace atende::app::ui
