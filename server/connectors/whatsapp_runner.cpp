#include "server/connectors/whatsapp_runner.h"

#include "server/connectors/logging.h"
#include "server/connectors/pg_session_store.h"
#include "server/connectors/pg_signal_store.h"
#include "server/connectors/whatsapp_connector.h"
#include "server/db/db_executor.h"
#include "server/db/finished.h"
#include "server/desk/connection_repository.h"
#include "server/desk/connector.h"
#include "server/messenger/messenger.h"
#include "server/signal/signal_account.h"

#include <qcoro/qcorotimer.h>

namespace atende::server::connectors {

using atende::core::Result;
using atende::core::Status;

namespace {

QString idText(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

} // namespace

// The Session's SessionStore with messaging: PgSessionStore, and a prekey batch, once durable, handed to the
// SignalAccount. Unlike messenger::PreKeyForwardingStore it reaches the account only through a shared target
// the runner clears when it goes, so a save that completes after the runner was destroyed (shutdown during
// the first prekey upload) touches nothing that is gone.
class PreKeyFeed : public whatsapp::SessionStore {
public:
    explicit PreKeyFeed(whatsapp::SessionStore &inner)
        : m_inner(inner)
    {}
    ~PreKeyFeed() override { *m_account = nullptr; }
    void setAccount(signal::SignalAccount *account) { *m_account = account; }

    QCoro::Task<Status> saveCredentials(const whatsapp::Credentials &credentials) override
    {
        auto saving = m_inner.saveCredentials(credentials);
        Status saved = co_await saving;
        co_return saved; // no member is touched after the await
    }
    QCoro::Task<Status> savePreKeys(const QList<whatsapp::PreKeyRecord> &preKeys) override
    {
        const QList<whatsapp::PreKeyRecord> keys = preKeys;
        std::shared_ptr<signal::SignalAccount *> account = m_account;
        auto saving = m_inner.savePreKeys(keys);
        Status saved = co_await saving;
        if (saved.ok() && *account)
            (*account)->addPreKeys(keys);
        co_return saved;
    }
    QCoro::Task<Status> clear() override
    {
        auto clearing = m_inner.clear();
        Status cleared = co_await clearing;
        co_return cleared;
    }

private:
    whatsapp::SessionStore &m_inner;
    std::shared_ptr<signal::SignalAccount *> m_account = std::make_shared<signal::SignalAccount *>(nullptr);
};

WhatsAppRunner::WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                               std::unique_ptr<PgSessionStore> store, QObject *parent)
    : ConnectionRunner(parent)
    , m_store(std::move(store))
    , m_session(std::make_unique<whatsapp::Session>(std::move(config), std::move(credentials), *m_store))
{
    connectSession();
}

WhatsAppRunner::WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                               std::unique_ptr<PgSessionStore> store, std::unique_ptr<PgSignalStore> signalStore,
                               db::DbExecutor &db, MessagingServices services, QUuid tenantId, QUuid connectionId,
                               bool freshCredentials, QObject *parent)
    : ConnectionRunner(parent)
    , m_store(std::move(store))
    , m_forwarding(std::make_unique<PreKeyFeed>(*m_store))
    , m_signalStore(std::move(signalStore))
    , m_db(&db)
    , m_services(services)
    , m_tenantId(tenantId)
    , m_connectionId(connectionId)
    , m_freshCredentials(freshCredentials)
    , m_session(std::make_unique<whatsapp::Session>(std::move(config), std::move(credentials), *m_forwarding))
{
    connectSession();
}

WhatsAppRunner::~WhatsAppRunner()
{
    if (m_forwarding)
        m_forwarding->setAccount(nullptr);
    tearDownMessaging();
    if (m_session) {
        m_session->disconnect(this);
        m_session->stop();
    }
    // Writes started by the Session (prekeys) and the Messenger (Signal flushes) may resume after this
    // runner is gone: the stores and the account check their own liveness. The forwarding store lets go of
    // the account before the account dies, whatever the member order.
    m_messenger.reset();
    m_session.reset();
    if (m_forwarding)
        m_forwarding->setAccount(nullptr);
    m_connector.reset();
    m_account.reset();
}

void WhatsAppRunner::connectSession()
{
    connect(m_session.get(), &whatsapp::Session::stateChanged, this,
            [this](whatsapp::SessionState state, const QString &reason) {
                if (state == whatsapp::SessionState::LoggedOut && m_signalStore) {
                    // The device is gone: so are its Signal sessions, and sends must stop.
                    if (m_connector)
                        m_connector->setMessenger(nullptr);
                    clearSignalState();
                }
                if (state == whatsapp::SessionState::Connected && m_connector)
                    m_connector->sessionConnected();
                Q_EMIT stateChanged(whatsapp::sessionStateName(state), reason);
            });
    connect(m_session.get(), &whatsapp::Session::qrCodeChanged, this, [this](const QString &qr, qint64 validForMs) {
        Q_EMIT pairingSecret(QStringLiteral("qr"), qr, validForMs);
    });
    // The code is valid while the registration connection waits for the phone (about three minutes).
    connect(m_session.get(), &whatsapp::Session::pairingCodeReady, this,
            [this](const QString &code) { Q_EMIT pairingSecret(QStringLiteral("code"), code, 180000); });
}

void WhatsAppRunner::tearDownMessaging()
{
    // Unregister only our own entry: a newer runner of the same connection may have registered since.
    if (m_services.registry && m_connector &&
        m_services.registry->connectorFor(m_connectionId, QString()) == m_connector.get())
        m_services.registry->unregisterConnection(m_connectionId);
}

void WhatsAppRunner::start()
{
    m_started = true;
    if (!m_services.enabled() || !m_signalStore) {
        m_session->start();
        return;
    }
    if (m_messenger) { // started again after stop()
        m_services.registry->registerConnection(m_connectionId, m_connector.get());
        m_session->start();
        return;
    }
    startMessaging();
}

QCoro::Task<> WhatsAppRunner::startMessaging()
{
    QPointer<WhatsAppRunner> self(this);
    if (m_freshCredentials) {
        auto clearing = clearSignalState();
        co_await clearing;
        if (!self)
            co_return;
    }
    const QUuid tenant = m_tenantId, id = m_connectionId;
    std::chrono::milliseconds backoff(500);
    bool ignoreGroups = true;
    std::optional<signal::SignalSnapshot> snapshot;
    // The database may be briefly unavailable: retry with back-off rather than run without Signal state.
    while (!snapshot) {
        QFuture<Result<desk::ConnectionRecord>> cf = m_db->runTenant(
            tenant, [tenant, id](QSqlDatabase &d) { return desk::ConnectionRepository::find(d, tenant, id); });
        co_await db::Finished(cf);
        Result<desk::ConnectionRecord> connection = cf.result();
        if (!self || !m_started)
            co_return;
        auto loading = m_signalStore->load();
        Result<signal::SignalSnapshot> loaded = co_await loading;
        if (!self || !m_started)
            co_return;
        if (connection.ok() && loaded.ok()) {
            ignoreGroups = connection->ignoreGroups;
            snapshot = loaded.value();
            break;
        }
        qCWarning(lcConnectors).noquote()
            << "messaging of" << idText(id)
            << "cannot load its state:" << (connection.ok() ? loaded.error().code : connection.error().code);
        co_await QCoro::sleepFor(backoff);
        if (!self || !m_started)
            co_return;
        backoff = std::min(backoff * 2, std::chrono::milliseconds(30000));
    }
    m_account = std::make_unique<signal::SignalAccount>(*m_services.signalContext, m_signalStore.get(),
                                                        m_session->credentials(), std::move(*snapshot));
    m_forwarding->setAccount(m_account.get());
    m_connector = std::make_unique<WhatsAppConnector>(*m_services.inbox, m_tenantId, m_connectionId, ignoreGroups);
    messenger::MessengerOptions options;
    options.ignoreGroups = ignoreGroups;
    m_messenger = std::make_unique<messenger::Messenger>(*m_session, *m_account, *m_connector, options);
    connect(m_messenger.get(), &messenger::Messenger::identityChanged, m_connector.get(),
            &WhatsAppConnector::identityChanged);
    m_connector->setMessenger(m_messenger.get());
    m_services.registry->registerConnection(m_connectionId, m_connector.get());
    m_session->start();
    Q_EMIT messagingReady();
}

QCoro::Task<> WhatsAppRunner::clearSignalState()
{
    QPointer<WhatsAppRunner> self(this);
    auto clearing = m_signalStore->clear();
    Status s = co_await clearing;
    if (self && !s.ok())
        qCWarning(lcConnectors).noquote()
            << "clearing the Signal state of" << idText(m_connectionId) << "failed:" << s.error().code;
}

void WhatsAppRunner::stop()
{
    m_started = false;
    tearDownMessaging();
    m_session->disconnect(this);
    m_session->stop();
}

QCoro::Task<Status> WhatsAppRunner::requestPairingCode(QString phoneNumber)
{
    auto t = m_session->requestPairingCode(phoneNumber);
    Status s = co_await t;
    co_return s;
}

QCoro::Task<Status> WhatsAppRunner::logout()
{
    auto t = m_session->logout();
    Status s = co_await t;
    co_return s;
}

RunnerHealth WhatsAppRunner::health() const
{
    const whatsapp::SessionHealth h = m_session->health();
    return RunnerHealth{whatsapp::sessionStateName(h.state), h.reason, h.lastFrameAt, h.connectedAt, h.reconnects};
}

} // namespace atende::server::connectors
