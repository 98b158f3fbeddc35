#pragma once
// The simulator's logging category, `atende.wasim`. Reasons and stanza shapes only: never keys or bodies.

#include <QLoggingCategory>

namespace atende::wasim {
Q_DECLARE_LOGGING_CATEGORY(lcWasim)
} // namespace atende::wasim
