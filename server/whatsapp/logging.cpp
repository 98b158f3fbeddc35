#include "server/whatsapp/logging.h"

namespace atende::server::whatsapp {
Q_LOGGING_CATEGORY(lcWhatsApp, "atende.server.whatsapp")
} // namespace atende::server::whatsapp
