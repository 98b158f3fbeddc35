#include "server/security/logging.h"

namespace atende::server::security {
Q_LOGGING_CATEGORY(lcSecurity, "atende.server.security")
} // namespace atende::server::security
