#pragma once
// The supervisor's RunnerFactory for real WhatsApp sessions, configured from the server configuration
// (whatsapp_url, whatsapp_trust_root, whatsapp_trust_root_serial). A header without the protocol headers,
// for the composition root.

#include "server/connectors/connection_runner.h"

#include <QByteArray>
#include <QUrl>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}

namespace atende::server::desk {
class ConnectorRegistry;
class Inbox;
} // namespace atende::server::desk
namespace atende::server::signal {
class SignalContext;
}

namespace atende::server::connectors {

// What the messaging stack needs from the server; all null = pairing and health only (no messaging).
struct MessagingServices {
    desk::Inbox *inbox = nullptr;
    desk::ConnectorRegistry *registry = nullptr;
    signal::SignalContext *signalContext = nullptr;
    bool enabled() const { return inbox && registry && signalContext; }
};

struct WhatsAppEndpoint {
    QUrl url;
    QByteArray trustRootPublicKey; // empty = WhatsApp's
    quint32 trustRootSerial = 0;
};

// With `services` enabled (whatsapp_runner.h) each runner also runs the connection's messaging stack.
RunnerFactory whatsAppRunnerFactory(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys,
                                    const WhatsAppEndpoint &endpoint, MessagingServices services = {});

} // namespace atende::server::connectors
