#pragma once
// The production ConnectionRunner: one whatsapp::Session with a PgSessionStore, configured from the server
// configuration (whatsapp_url, whatsapp_trust_root, whatsapp_trust_root_serial). Session states become the
// stable names of whatsapp::sessionStateName().
//
// With messaging services (an Inbox, the ConnectorRegistry and a SignalContext) the runner also owns the
// connection's messaging stack (issue 6): start() first loads the connection's settings and its Signal
// state from PgSignalStore, builds the SignalAccount (identity and signed prekey from the credentials,
// one-time prekeys from the session store; prekeys the Session generates later reach the account through
// PreKeyFeed, safe against a save finishing after the runner is gone), the Messenger and the
// WhatsAppConnector, registers the connector for its connection id (this instance owns the connection while
// the runner exists), and only then starts the Session. Fresh credentials (a new pairing) and a logout /
// device removal clear the Signal store: that state belonged to the device that is gone. The connection's
// ignore_groups setting is read at start (a change applies when the connection next starts).

#include "server/connectors/connection_runner.h"
#include "server/connectors/whatsapp_runner_factory.h"
#include "server/whatsapp/session.h"

#include <QPointer>

namespace atende::server::db {
class DbExecutor;
}
namespace atende::server::secrets {
class KeyStore;
}
namespace atende::server::signal {
class SignalAccount;
}
namespace atende::server::messenger {
class Messenger;
}

namespace atende::server::connectors {

class PgSessionStore;
class PgSignalStore;
class PreKeyFeed;
class WhatsAppConnector;

class WhatsAppRunner : public ConnectionRunner {
    Q_OBJECT
public:
    WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                   std::unique_ptr<PgSessionStore> store, QObject *parent = nullptr);
    // With messaging: `signalStore` for the account, `freshCredentials` when the credentials were just
    // generated (the stored Signal state is then cleared first).
    WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                   std::unique_ptr<PgSessionStore> store, std::unique_ptr<PgSignalStore> signalStore,
                   db::DbExecutor &db, MessagingServices services, QUuid tenantId, QUuid connectionId,
                   bool freshCredentials, QObject *parent = nullptr);
    ~WhatsAppRunner() override;

    void start() override;
    void stop() override;
    QCoro::Task<atende::core::Status> requestPairingCode(QString phoneNumber) override;
    QCoro::Task<atende::core::Status> logout() override;
    RunnerHealth health() const override;

    whatsapp::Session &session() { return *m_session; }
    // Null before start() finished building the messaging stack (and without messaging services).
    messenger::Messenger *messenger() const { return m_messenger.get(); }
    WhatsAppConnector *connector() const { return m_connector.get(); }
    signal::SignalAccount *account() const { return m_account.get(); }

Q_SIGNALS:
    // The messaging stack is built and the session was started.
    void messagingReady();

private:
    QCoro::Task<> startMessaging();
    QCoro::Task<> clearSignalState();
    void connectSession();
    void tearDownMessaging();

    std::unique_ptr<PgSessionStore> m_store;  // outlives m_session, which holds a reference to it
    std::unique_ptr<PreKeyFeed> m_forwarding; // the Session's store: PgSessionStore + prekeys to the account
    std::unique_ptr<PgSignalStore> m_signalStore;
    db::DbExecutor *m_db = nullptr;
    MessagingServices m_services;
    QUuid m_tenantId;
    QUuid m_connectionId;
    bool m_freshCredentials = false;
    bool m_started = false; // start() called and not stopped since
    std::unique_ptr<signal::SignalAccount> m_account;
    std::unique_ptr<WhatsAppConnector> m_connector;
    std::unique_ptr<whatsapp::Session> m_session;
    std::unique_ptr<messenger::Messenger> m_messenger; // destroyed first: it refers to session and account
};

} // namespace atende::server::connectors
