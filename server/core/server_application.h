#pragma once
// The composition root of atende-server: builds every module from the configuration, wires them by
// constructor injection (no globals), starts them in order and stops them in reverse order.
//
// start():   data dir -> embedded PostgreSQL (unless database_url) -> DbExecutor -> migrations
//            -> authentication (signing key) -> operation table, event hub + relay (LISTEN) + log pruner
//            -> job worker -> HTTP/WebSocket listener.
// shutdown(): stop accepting -> close WebSockets (1001) -> wait for requests in flight (bounded by
//            shutdown_timeout_seconds) -> job worker (running jobs finish) -> close connections
//            -> event relay -> DbExecutor -> embedded PostgreSQL.

#include "server/core/config.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <QSet>
#include <QUuid>

#include <qcoro/qcorotask.h>

#include <memory>

namespace atende::server::db {
class DbExecutor;
class EmbeddedPostgres;
struct DbConfig;
} // namespace atende::server::db

namespace atende::server::accounts {
class AccountsService;
}
namespace atende::server::events {
class EventLogPruner;
class EventRelay;
} // namespace atende::server::events
namespace atende::server::jobs {
class JobService;
class JobWorker;
} // namespace atende::server::jobs
namespace atende::server::desk {
class ConnectorRegistry;
class ContactsService;
class Inbox;
class MessagesService;
class OutboundSender;
class QuickRepliesService;
class TestConnector;
class TicketsService;
} // namespace atende::server::desk
namespace atende::server::auth {
class ApiTokenService;
class AuthService;
} // namespace atende::server::auth
namespace atende::server::secrets {
class KeyStore;
}
namespace atende::server::api {
class Dispatcher;
class EventHub;
class HttpServer;
class Metrics;
class OperationTable;
class RestRouter;
class WsSession;
} // namespace atende::server::api

namespace atende::server::signal {
class SignalContext;
}
namespace atende::server::connectors {
class ConnectionSupervisor;
class ConnectionsControl;
} // namespace atende::server::connectors

namespace atende::server::core {

class ServerApplication : public QObject {
    Q_OBJECT
public:
    explicit ServerApplication(ServerConfig config, QObject *parent = nullptr);
    ~ServerApplication() override;

    atende::core::Status start();
    // Graceful stop; emits stopped() when done. Safe to call more than once.
    void shutdown();

    quint16 port() const;
    const ServerConfig &config() const { return m_config; }
    int schemaVersion() const { return m_schemaVersion; }
    db::DbExecutor *database() const { return m_db.get(); }
    api::OperationTable &operations() const { return *m_table; }
    api::EventHub *events() const { return m_events; }
    auth::AuthService *auth() const { return m_auth.get(); }
    // Connectors hand inbound traffic here; the test connector serves connections of kind "test".
    desk::Inbox *inbox() const { return m_inbox.get(); }
    desk::TestConnector *testConnector() const { return m_testConnector.get(); }
    events::EventRelay *relay() const { return m_relay; }
    connectors::ConnectionSupervisor *supervisor() const { return m_supervisor; }

Q_SIGNALS:
    void stopped();

private:
    atende::core::Status startDatabase();
    atende::core::Status startAuth();
    // Reloads the shared signing keys (rotation by any instance); rate-limited to one reload per 5 s.
    QCoro::Task<bool> reloadSigningKeys();
    atende::core::Status startApi();
    // The message desk: inbox, connectors, message operations and the job worker that sends.
    atende::core::Status startMessaging();
    // WhatsApp connections: the supervisor (ownership, sessions) and the connections.* run-time operations.
    atende::core::Status startConnectors();
    QCoro::Task<> drainAndStop();
    void finishStop();

    ServerConfig m_config;
    QDateTime m_startedAt;
    int m_schemaVersion = 0;
    bool m_stopping = false;
    std::unique_ptr<db::EmbeddedPostgres> m_embedded;
    std::unique_ptr<db::DbExecutor> m_db;
    std::unique_ptr<db::DbExecutor> m_messagingDb; // inbound, outbound jobs, connectors
    std::unique_ptr<auth::AuthService> m_auth;
    std::unique_ptr<accounts::AccountsService> m_accounts;
    std::unique_ptr<desk::ContactsService> m_contacts;
    std::unique_ptr<desk::TicketsService> m_tickets;
    std::unique_ptr<desk::QuickRepliesService> m_quickReplies;
    std::unique_ptr<jobs::JobService> m_jobs;
    std::unique_ptr<desk::ConnectorRegistry> m_connectors;
    std::unique_ptr<desk::Inbox> m_inbox;
    std::unique_ptr<desk::TestConnector> m_testConnector;
    std::unique_ptr<desk::MessagesService> m_messages;
    std::unique_ptr<desk::OutboundSender> m_sender;
    std::unique_ptr<jobs::JobWorker> m_worker;
    std::unique_ptr<connectors::ConnectionsControl> m_connectionsControl;
    // libsignal's context, shared by every WhatsApp connection's SignalAccount on this instance.
    std::unique_ptr<signal::SignalContext> m_signalContext;
    connectors::ConnectionSupervisor *m_supervisor = nullptr;
    std::unique_ptr<auth::ApiTokenService> m_apiTokens;
    std::shared_ptr<secrets::KeyStore> m_keys;
    QElapsedTimer m_lastKeyReload;
    std::unique_ptr<api::OperationTable> m_table;
    std::unique_ptr<api::Metrics> m_metrics;
    std::unique_ptr<api::Dispatcher> m_dispatcher;
    api::RestRouter *m_router = nullptr;
    api::HttpServer *m_http = nullptr;
    QList<api::WsSession *> m_sessions;
    api::EventHub *m_events = nullptr;
    events::EventRelay *m_relay = nullptr;
    events::EventLogPruner *m_pruner = nullptr;
    std::function<QCoro::Task<QSet<QUuid>>(QUuid, QUuid)> m_sectorResolver;
};

} // namespace atende::server::core
