#pragma once
// The module's one logging category, `atende.server.whatsapp`. Never log keys, payloads or node contents.

#include <QLoggingCategory>

namespace atende::server::whatsapp {
Q_DECLARE_LOGGING_CATEGORY(lcWhatsApp)
} // namespace atende::server::whatsapp
