#include "server/connectors/whatsapp_runner.h"

#include "server/connectors/logging.h"
#include "server/connectors/pg_session_store.h"
#include "server/connectors/whatsapp_runner_factory.h"

namespace atende::server::connectors {

using atende::core::Status;

WhatsAppRunner::WhatsAppRunner(whatsapp::SessionConfig config, whatsapp::Credentials credentials,
                               std::unique_ptr<PgSessionStore> store, QObject *parent)
    : ConnectionRunner(parent)
    , m_store(std::move(store))
    , m_session(std::make_unique<whatsapp::Session>(std::move(config), std::move(credentials), *m_store))
{
    connect(m_session.get(), &whatsapp::Session::stateChanged, this,
            [this](whatsapp::SessionState state, const QString &reason) {
                Q_EMIT stateChanged(whatsapp::sessionStateName(state), reason);
            });
    connect(m_session.get(), &whatsapp::Session::qrCodeChanged, this, [this](const QString &qr, qint64 validForMs) {
        Q_EMIT pairingSecret(QStringLiteral("qr"), qr, validForMs);
    });
    // The code is valid while the registration connection waits for the phone (about three minutes).
    connect(m_session.get(), &whatsapp::Session::pairingCodeReady, this,
            [this](const QString &code) { Q_EMIT pairingSecret(QStringLiteral("code"), code, 180000); });
}

WhatsAppRunner::~WhatsAppRunner()
{
    if (m_session) {
        m_session->disconnect(this);
        m_session->stop();
    }
}

void WhatsAppRunner::start()
{
    m_session->start();
}

void WhatsAppRunner::stop()
{
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

RunnerFactory whatsAppRunnerFactory(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys,
                                    const WhatsAppEndpoint &endpoint)
{
    whatsapp::SessionConfig config;
    config.url = endpoint.url;
    config.trustRootPublicKey = endpoint.trustRootPublicKey;
    config.trustRootSerial = endpoint.trustRootSerial;
    return [&db, keys, config](const RunnerContext &ctx) -> std::unique_ptr<ConnectionRunner> {
        whatsapp::Credentials credentials;
        if (!ctx.credentials.isEmpty()) {
            atende::core::Result<whatsapp::Credentials> parsed = whatsapp::Credentials::parse(ctx.credentials);
            if (!parsed.ok()) {
                qCWarning(lcConnectors).noquote()
                    << "stored credentials of" << ctx.connectionId.toString(QUuid::WithoutBraces)
                    << "do not parse:" << parsed.error().code;
                return nullptr;
            }
            credentials = parsed.value();
        } else {
            credentials = whatsapp::Credentials::generate();
        }
        auto store = std::make_unique<PgSessionStore>(db, keys, ctx.tenantId, ctx.connectionId, ctx.instanceId);
        return std::make_unique<WhatsAppRunner>(config, std::move(credentials), std::move(store));
    };
}

} // namespace atende::server::connectors
