#include "server/secrets/logging.h"

namespace atende::server::secrets {
Q_LOGGING_CATEGORY(lcSecrets, "atende.server.secrets")
} // namespace atende::server::secrets
