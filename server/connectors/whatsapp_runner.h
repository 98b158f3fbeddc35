#pragma once
// The production ConnectionRunner: one whatsapp::Session with a PgSessionStore, configured from the server
// configuration (whatsapp_url, whatsapp_trust_root, whatsapp_trust_root_serial). Session states become the
// stable names of whatsapp::sessionStateName().

#include "server/connectors/connection_runner.h"
#include "server/whatsapp/session.h"

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}

namespace atende::server::connectors {

class PgSessionStore;

class WhatsAppRunner : public ConnectionRunner {
    Q_OBJECT
public:
    WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                   std::unique_ptr<PgSessionStore> store, QObject *parent = nullptr);
    ~WhatsAppRunner() override;

    void start() override;
    void stop() override;
    QCoro::Task<atende::core::Status> requestPairingCode(QString phoneNumber) override;
    QCoro::Task<atende::core::Status> logout() override;
    RunnerHealth health() const override;

    whatsapp::Session &session() { return *m_session; }

private:
    std::unique_ptr<PgSessionStore> m_store; // outlives m_session, which holds a reference to it
    std::unique_ptr<whatsapp::Session> m_session;
};

// whatsAppRunnerFactory() (whatsapp_runner_factory.h) makes these: stored credentials when the context has
// them (login), fresh ones otherwise (registration, QR codes).

} // namespace atende::server::connectors
