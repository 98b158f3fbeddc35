#include "server/signal/logging.h"

namespace atende::server::signal {
Q_LOGGING_CATEGORY(lcSignal, "atende.server.signal")
} // namespace atende::server::signal
