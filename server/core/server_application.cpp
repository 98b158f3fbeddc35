#include "server/core/server_application.h"

#include "server/core/configured_database.h"

#include "common/core/process_stats.h"
#include "common/core/version.h"
#include "server/accounts/accounts_operations.h"
#include "server/accounts/accounts_service.h"
#include "server/api/dispatcher.h"
#include "server/api/event_hub.h"
#include "server/api/http_server.h"
#include "server/api/metrics.h"
#include "server/api/openapi.h"
#include "server/api/rest_router.h"
#include "server/api/system_operations.h"
#include "server/api/ws_session.h"
#include "server/auth/api_token_operations.h"
#include "server/auth/api_token_service.h"
#include "server/auth/auth_operations.h"
#include "server/auth/auth_service.h"
#include "server/db/db_executor.h"
#include "server/db/embedded_postgres.h"
#include "server/db/finished.h"
#include "server/db/migrator.h"
#include "server/desk/contacts_operations.h"
#include "server/desk/contacts_service.h"
#include "server/desk/quick_reply_operations.h"
#include "server/desk/simulate_inbound_operation.h"
#include "server/desk/tickets_operations.h"
#include "server/desk/tickets_service.h"
#include "server/events/event_log_pruner.h"
#include "server/events/event_relay.h"
#include "server/jobs/job_operations.h"
#include "server/jobs/job_service.h"
#include "server/secrets/key_store.h"
#include "server/secrets/master_key_source.h"
#include "server/secrets/signing_key_store.h"
#include "server/security/key_ring.h"
#include "server/security/password_hasher.h"
#include "server/security/signing_key.h"
#include "server/tenancy/membership.h"

#include "server/connectors/connection_supervisor.h"
#include "server/connectors/connections_control.h"
#include "server/connectors/connector_metrics.h"
#include "server/connectors/whatsapp_runner_factory.h"
#include "server/desk/connector.h"
#include "server/desk/inbox.h"
#include "server/desk/message_operations.h"
#include "server/desk/messages_service.h"
#include "server/desk/outbound_sender.h"
#include "server/desk/test_connector.h"
#include "server/desk/typing_operation.h"
#include "server/jobs/job_worker.h"
#include "server/signal/signal_context.h"

#include <QFile>
#include <QHostAddress>
#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>
#include <QUuid>
#include <QWebSocket>

#include <qcoro/qcorofuture.h>
#include <qcoro/qcorotimer.h>

Q_LOGGING_CATEGORY(lcCore, "atende.server.core")

namespace atende::server::core {

using atende::core::Error;
using atende::core::Status;
namespace errc = atende::core::errc;

ServerApplication::ServerApplication(ServerConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_startedAt(QDateTime::currentDateTimeUtc())
{}

ServerApplication::~ServerApplication()
{
    if (m_supervisor)
        m_supervisor->stop();
    if (m_relay)
        m_relay->stop();
    if (m_messagingDb)
        m_messagingDb->stop();
    if (m_db)
        m_db->stop();
    if (m_embedded)
        (void)m_embedded->stop();
}

Status ServerApplication::start()
{
    qCInfo(lcCore).noquote() << "atende-server" << atende::core::versionString() << "starting, instance"
                             << m_config.instanceId;
    if (Status st = startDatabase(); !st.ok())
        return st;
    return startApi();
}

Status ServerApplication::startDatabase()
{
    auto opened = openConfiguredDatabase(m_config);
    if (!opened.ok())
        return opened.error();
    // The server stops the embedded cluster at shutdown even when it adopted a running one (a previous
    // server that was killed leaves its cluster up).
    m_embedded = std::move(opened->embedded);
    const db::DbConfig dbConfig = opened->config;
    qCInfo(lcCore).noquote() << "database" << dbConfig.redacted() << "workers" << m_config.databaseWorkers
                             << "messaging workers" << m_config.messagingDatabaseWorkers;

    m_db = std::make_unique<db::DbExecutor>(dbConfig, m_config.databaseWorkers);
    if (Status st = m_db->start(); !st.ok())
        return st;
    m_messagingDb = std::make_unique<db::DbExecutor>(dbConfig, m_config.messagingDatabaseWorkers);
    if (Status st = m_messagingDb->start(); !st.ok())
        return st;

    QFuture<atende::core::Result<int>> migrated =
        m_db->run([](QSqlDatabase &db) { return db::Migrator(db::Migrator::builtIn()).migrate(db); });
    atende::core::Result<int> version = migrated.result();
    if (!version.ok())
        return version.error();
    m_schemaVersion = version.value();
    qCInfo(lcCore) << "schema at version" << m_schemaVersion;
    return {};
}

Status ServerApplication::startAuth()
{
    // The master key (key file or ATENDE_MASTER_KEY) and the platform key; a wrong master key stops the
    // start here (master_key_mismatch) instead of failing later on every secret.
    const secrets::MasterKeySource source{m_config.masterKeyFile, m_config.masterKey};
    atende::core::Result<std::shared_ptr<secrets::KeyStore>> keys =
        m_db->run([source](QSqlDatabase &db) { return secrets::KeyStore::open(source, db); }).result();
    if (!keys.ok())
        return keys.error();
    m_keys = keys.value();

    // Signing keys are shared by every instance of the database (persisted encrypted, rotated every 30 days),
    // so an access token issued by one instance is accepted by all.
    atende::core::Result<security::KeyRing> ring =
        m_db->run([keys = m_keys](QSqlDatabase &db) {
                return secrets::SigningKeyStore::load(db, keys->masterKey(), QDateTime::currentDateTimeUtc());
            })
            .result();
    if (!ring.ok())
        return ring.error();

    security::LoginThrottlePolicy throttle;
    throttle.freeAccountFailures = m_config.loginFreeFailuresAccount;
    throttle.freeIpFailures = m_config.loginFreeFailuresIp;
    auth::AuthPolicy policy;
    policy.accessTokenSeconds = qint64(m_config.accessTokenMinutes) * 60;
    policy.refreshTokenSeconds = qint64(m_config.refreshTokenDays) * 24 * 3600;
    m_auth = std::make_unique<auth::AuthService>(*m_db, std::move(ring).value(), security::PasswordHasher(), throttle,
                                                 policy);

    // Pick up keys rotated by other instances (and rotate ours when due) without waiting for an unknown kid.
    auto *refresh = new QTimer(this);
    refresh->setInterval(10 * 60 * 1000);
    connect(refresh, &QTimer::timeout, this, [this] { reloadSigningKeys(); });
    refresh->start();
    return {};
}

QCoro::Task<bool> ServerApplication::reloadSigningKeys()
{
    if (!m_db || !m_keys || m_stopping)
        co_return false;
    if (m_lastKeyReload.isValid() && m_lastKeyReload.elapsed() < 5000)
        co_return false;
    m_lastKeyReload.start();
    QPointer<ServerApplication> self(this);
    QFuture<atende::core::Result<security::KeyRing>> f = m_db->run([keys = m_keys](QSqlDatabase &db) {
        return secrets::SigningKeyStore::load(db, keys->masterKey(), QDateTime::currentDateTimeUtc());
    });
    co_await db::Finished(f);
    if (!self || !m_auth)
        co_return false;
    atende::core::Result<security::KeyRing> ring = f.result();
    if (!ring.ok()) {
        qCWarning(lcCore).noquote() << "cannot reload the signing keys:" << ring.error().message;
        co_return false;
    }
    m_auth->replaceKeys(std::move(ring).value());
    co_return true;
}

Status ServerApplication::startApi()
{
    if (Status st = startAuth(); !st.ok())
        return st;
    m_table = std::make_unique<api::OperationTable>();
    m_metrics = std::make_unique<api::Metrics>();
    api::addSystemOperations(*m_table, api::SystemInfo{m_config.instanceId, m_startedAt, [this] {
                                                           return m_schemaVersion;
                                                       }});
    auth::addAuthOperations(*m_table, *m_auth);
    m_events = new api::EventHub(this);
    // Events of the other instances (and theirs of ours) through LISTEN/NOTIFY; the log stays bounded.
    m_relay = new events::EventRelay(*m_db, m_events, m_config.instanceId, this);
    m_relay->start();
    m_pruner = new events::EventLogPruner(*m_db, m_config.eventLogRetentionHours, this);
    m_pruner->start();
    m_accounts = std::make_unique<accounts::AccountsService>(*m_db, security::PasswordHasher(), m_events);
    accounts::addAccountsOperations(*m_table, *m_accounts);
    m_contacts = std::make_unique<desk::ContactsService>(*m_db, m_events);
    desk::addDeskContactOperations(*m_table, *m_contacts);
    m_tickets = std::make_unique<desk::TicketsService>(*m_db, m_events);
    desk::addTicketOperations(*m_table, *m_tickets);
    m_quickReplies = std::make_unique<desk::QuickRepliesService>(*m_db, m_events);
    desk::addQuickReplyOperations(*m_table, m_quickReplies.get());
    m_jobs = std::make_unique<jobs::JobService>(*m_db);
    jobs::addJobOperations(*m_table, *m_jobs);
    if (Status st = startMessaging(); !st.ok())
        return st;
    if (Status st = startConnectors(); !st.ok())
        return st;
    connect(m_events, &api::EventHub::credentialsRevoked, this, [this](QUuid, QUuid userId) {
        if (m_auth)
            m_auth->revokeAccessTokensOf(userId);
    });
    m_apiTokens = std::make_unique<auth::ApiTokenService>(*m_db);
    auth::addApiTokenOperations(*m_table, *m_apiTokens);
    m_dispatcher = std::make_unique<api::Dispatcher>(*m_table, *m_metrics);
    m_dispatcher->setAuthenticator(auth::makeAuthenticator(*m_auth, auth::makeApiTokenAuthenticator(*m_apiTokens),
                                                           [this]() { return reloadSigningKeys(); }));
    m_dispatcher->setRateLimits(api::RateLimits{m_config.rateLimitIpBurst, m_config.rateLimitIpPerSecond,
                                                m_config.rateLimitUserBurst, m_config.rateLimitUserPerSecond});
    m_sectorResolver = [this](QUuid tenantId, QUuid userId) -> QCoro::Task<QSet<QUuid>> {
        if (!m_db)
            co_return QSet<QUuid>{};
        QFuture<atende::core::Result<QSet<QUuid>>> f = m_db->runTenant(
            tenantId, [tenantId, userId](QSqlDatabase &d) { return tenancy::sectorIdsOf(d, tenantId, userId); });
        co_await db::Finished(f);
        const atende::core::Result<QSet<QUuid>> r = f.result();
        co_return r.ok() ? r.value() : QSet<QUuid>{};
    };

    m_router = new api::RestRouter(*m_dispatcher, *m_metrics, this);
    m_router->setOpenApi(api::buildOpenApi(*m_table, atende::core::versionString()));
    const int expected = db::Migrator(db::Migrator::builtIn()).latestVersion();
    m_router->setReadinessCheck([this, expected]() -> QCoro::Task<Status> {
        if (!m_db)
            co_return Error::make(errc::kUnavailable, QStringLiteral("database not started"));
        atende::core::Result<int> v =
            co_await m_db->run([](QSqlDatabase &db) { return db::Migrator::currentVersion(db); });
        if (!v.ok())
            co_return Error::make(errc::kUnavailable, QStringLiteral("database not reachable"));
        if (v.value() < expected)
            co_return Error::make(errc::kUnavailable, QStringLiteral("migrations not applied"));
        co_return Status{};
    });

    api::HttpServerOptions http;
    http.maxBodyBytes = m_config.maxBodyBytes;
    if (!m_config.tlsCert.isEmpty()) {
        QFile certFile(m_config.tlsCert), keyFile(m_config.tlsKey);
        if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
            return Error::make(errc::kInvalidArgument, QStringLiteral("cannot read tls_cert or tls_key"));
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certFile.readAll(), QSsl::Pem);
        const QByteArray keyPem = keyFile.readAll();
        QSslKey key(keyPem, QSsl::Ec, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Rsa, QSsl::Pem);
        if (chain.isEmpty() || key.isNull())
            return Error::make(errc::kInvalidArgument, QStringLiteral("tls_cert or tls_key is not valid PEM"));
        http.certificate = chain.first();
        http.chain = chain.mid(1);
        http.privateKey = key;
    }
    m_http = new api::HttpServer(
        http, [this](api::HttpRequest r, api::HttpResponder resp) { m_router->handle(std::move(r), std::move(resp)); },
        this);
    m_http->setWebSocketPaths([](const QByteArray &path) { return path == "/api/v1/ws"; });
    connect(m_http, &api::HttpServer::newWebSocket, this,
            [this](QWebSocket *socket, const QByteArray &, const QHostAddress &) {
                if (m_stopping) {
                    socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("server shutting down"));
                    socket->deleteLater();
                    return;
                }
                api::WsSessionOptions options;
                options.instanceId = m_config.instanceId;
                options.maxMessageBytes = m_config.maxBodyBytes;
                options.hub = m_events;
                options.sectors = m_sectorResolver;
                options.backlog = events::EventRelay::backlogReader(*m_db);
                auto *session = new api::WsSession(socket, *m_dispatcher, std::move(options), this);
                m_sessions.append(session);
                connect(session, &api::WsSession::finished, this, [this](api::WsSession *s) {
                    m_sessions.removeOne(s);
                    s->deleteLater();
                });
            });

    m_metrics->addGauge(QStringLiteral("atende_db_workers"), QStringLiteral("Database worker threads."),
                        [this] { return m_db ? double(m_db->workerCount()) : 0.0; });
    m_metrics->addGauge(QStringLiteral("atende_db_busy_workers"), QStringLiteral("Workers running a call now."),
                        [this] { return m_db ? double(m_db->busyWorkers()) : 0.0; });
    m_metrics->addGauge(QStringLiteral("atende_db_queued_calls"),
                        QStringLiteral("Calls waiting for or running on a worker."),
                        [this] { return m_db ? double(m_db->queuedCalls()) : 0.0; });
    m_metrics->addGauge(
        QStringLiteral("atende_db_reconnects_total"), QStringLiteral("Database reconnects."),
        [this] { return m_db ? double(m_db->reconnects()) : 0.0; }, true);
    m_metrics->addGauge(QStringLiteral("atende_db_messaging_busy_workers"),
                        QStringLiteral("Workers of the messaging pool (inbound, jobs, connectors) running a call now."),
                        [this] { return m_messagingDb ? double(m_messagingDb->busyWorkers()) : 0.0; });
    m_metrics->addGauge(QStringLiteral("atende_db_messaging_queued_calls"),
                        QStringLiteral("Calls waiting for or running on a worker of the messaging pool."),
                        [this] { return m_messagingDb ? double(m_messagingDb->queuedCalls()) : 0.0; });
    m_metrics->addGauge(QStringLiteral("atende_ws_sessions"), QStringLiteral("Open API WebSocket sessions."),
                        [this] { return double(m_sessions.size()); });
    m_metrics->addGauge(QStringLiteral("atende_http_connections"), QStringLiteral("Open HTTP connections."),
                        [this] { return m_http ? double(m_http->openConnections()) : 0.0; });
    m_metrics->addGauge(
        QStringLiteral("atende_http_dropped_responses_total"),
        QStringLiteral("Responses not written because the client had gone."),
        [this] { return m_http ? double(m_http->droppedResponses()) : 0.0; }, true);
    m_metrics->addGauge(QStringLiteral("process_resident_memory_bytes"),
                        QStringLiteral("Resident memory of this process."),
                        [] { return double(atende::core::residentBytes()); });
    m_metrics->addGauge(
        QStringLiteral("process_cpu_seconds_total"), QStringLiteral("CPU time of this process."),
        [] { return atende::core::cpuSeconds(); }, true);

    if (!m_http->listen(QHostAddress(m_config.listenAddress), quint16(m_config.port)))
        return Error::make(errc::kUnavailable, QStringLiteral("cannot listen on %1:%2: %3")
                                                   .arg(m_config.listenAddress)
                                                   .arg(m_config.port)
                                                   .arg(m_http->errorString()));
    qCInfo(lcCore).noquote() << QStringLiteral("listening on %1://%2:%3")
                                    .arg(m_http->isTls() ? QStringLiteral("https") : QStringLiteral("http"),
                                         m_config.listenAddress)
                                    .arg(m_http->port());
    return {};
}

Status ServerApplication::startMessaging()
{
    m_connectors = std::make_unique<desk::ConnectorRegistry>();
    m_inbox = std::make_unique<desk::Inbox>(*m_messagingDb, m_events);
    m_testConnector = std::make_unique<desk::TestConnector>(m_inbox.get());
    m_connectors->registerKind(m_testConnector->kind(), m_testConnector.get());
    m_messages = std::make_unique<desk::MessagesService>(*m_db, m_events);
    desk::addMessageOperations(*m_table, *m_messages);
    desk::addTypingOperation(*m_table, *m_messages, *m_connectors);
    desk::addSimulateInboundOperation(*m_table, m_contacts.get(), m_inbox.get());
    m_sender = std::make_unique<desk::OutboundSender>(*m_messagingDb, m_events, *m_connectors);
    jobs::JobWorker::Options options;
    options.workerId = m_config.instanceId.isEmpty() ? QString() : m_config.instanceId + QStringLiteral(":jobs");
    options.releaseOwnOnStart = !m_config.instanceId.isEmpty();
    options.instanceId = m_config.instanceId; // claims the jobs of the connections this instance owns
    // A send mostly waits (for the WhatsApp server's ack): many run at once across connections, while the
    // messenger serializes each account's sends and the serial key keeps each ticket's replies in order. With
    // 4 at a time, 50 replies/s over 20 connections queued for seconds (atende_e2e_bench).
    options.concurrency = 32;
    m_worker = std::make_unique<jobs::JobWorker>(*m_messagingDb, options);
    m_sender->registerHandlers(*m_worker);
    return m_worker->start();
}

Status ServerApplication::startConnectors()
{
    m_connectionsControl = std::make_unique<connectors::ConnectionsControl>(*m_db, m_keys, m_events);
    connectors::addConnectionRuntimeOperations(*m_table, m_connectionsControl.get());
    connectors::SupervisorOptions options;
    options.instanceId = m_config.instanceId;
    const connectors::WhatsAppEndpoint endpoint{QUrl(m_config.whatsappUrl), m_config.whatsappTrustRoot,
                                                m_config.whatsappTrustRootSerial};
    m_signalContext = std::make_unique<signal::SignalContext>();
    const connectors::MessagingServices messaging{m_inbox.get(), m_connectors.get(), m_signalContext.get()};
    m_supervisor = new connectors::ConnectionSupervisor(
        *m_messagingDb, m_keys, m_events, options,
        connectors::whatsAppRunnerFactory(*m_messagingDb, m_keys, endpoint, messaging), this);
    connectors::addConnectorMetrics(*m_metrics, m_supervisor);
    return m_supervisor->start();
}

quint16 ServerApplication::port() const
{
    return m_http ? m_http->port() : 0;
}

void ServerApplication::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcCore) << "shutting down";
    drainAndStop();
}

QCoro::Task<> ServerApplication::drainAndStop()
{
    if (m_router)
        m_router->setShuttingDown(true);
    if (m_http)
        m_http->stopAccepting();
    for (api::WsSession *s : std::as_const(m_sessions))
        s->closeGoingAway();

    // Requests in flight get until the deadline to finish; the rest are dropped (their clients retry).
    QElapsedTimer waited;
    waited.start();
    const qint64 deadline = qint64(m_config.shutdownTimeoutSeconds) * 1000;
    while (m_http && m_http->inFlight() > 0 && waited.elapsed() < deadline) {
        QTimer timer;
        timer.start(20);
        co_await timer;
    }
    if (m_http && m_http->inFlight() > 0)
        qCWarning(lcCore) << m_http->inFlight() << "requests still running at the shutdown deadline";
    // Jobs running now finish (or are reclaimed by another instance after their lease) before the database
    // goes away.
    if (m_worker) {
        QPointer<ServerApplication> self(this);
        const int left = int(qMax<qint64>(1000, deadline - waited.elapsed()));
        auto stopTask = m_worker->stop(left);
        const Status stoppedWorker = co_await stopTask;
        if (!self)
            co_return;
        if (!stoppedWorker.ok())
            qCWarning(lcCore).noquote() << "job worker:" << stoppedWorker.error().message;
    }
    finishStop();
}

void ServerApplication::finishStop()
{
    if (m_http)
        m_http->closeAll();
    if (m_supervisor)
        m_supervisor->stop(); // sessions closed, leases and locks released: another instance takes over at once
    if (m_pruner)
        m_pruner->stop();
    if (m_relay)
        m_relay->stop(); // its LISTEN connection before the database goes away
    if (m_messagingDb)
        m_messagingDb->stop();
    if (m_db)
        m_db->stop();
    if (m_embedded) {
        if (Status st = m_embedded->stop(); !st.ok())
            qCWarning(lcCore).noquote() << "stopping the embedded PostgreSQL:" << st.error().message;
    }
    qCInfo(lcCore) << "stopped";
    Q_EMIT stopped();
}

} // namespace atende::server::core
