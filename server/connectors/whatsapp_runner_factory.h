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

namespace atende::server::connectors {

struct WhatsAppEndpoint {
    QUrl url;
    QByteArray trustRootPublicKey; // empty = WhatsApp's
    quint32 trustRootSerial = 0;
};

RunnerFactory whatsAppRunnerFactory(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys,
                                    const WhatsAppEndpoint &endpoint);

} // namespace atende::server::connectors
