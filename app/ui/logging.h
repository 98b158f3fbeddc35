#pragma once
#include <QLoggingCategory>

namespace atende::app::ui {
// "atende.app.ui": windows, widgets, theme.
Q_DECLARE_LOGGING_CATEGORY(lcUi)
} // namespace atende::app::ui
