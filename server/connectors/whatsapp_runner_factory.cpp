#include "server/connectors/whatsapp_runner_factory.h"

#include "server/connectors/logging.h"
#include "server/connectors/pg_session_store.h"
#include "server/connectors/pg_signal_store.h"
#include "server/connectors/whatsapp_runner.h"

namespace atende::server::connectors {

RunnerFactory whatsAppRunnerFactory(db::DbExecutor &db, std::shared_ptr<secrets::KeyStore> keys,
                                    const WhatsAppEndpoint &endpoint, MessagingServices services)
{
    whatsapp::SessionConfig config;
    config.url = endpoint.url;
    config.trustRootPublicKey = endpoint.trustRootPublicKey;
    config.trustRootSerial = endpoint.trustRootSerial;
    return [&db, keys, config, services](const RunnerContext &ctx) -> std::unique_ptr<ConnectionRunner> {
        whatsapp::Credentials credentials;
        const bool fresh = ctx.credentials.isEmpty();
        if (!fresh) {
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
        if (!services.enabled())
            return std::make_unique<WhatsAppRunner>(config, std::move(credentials), std::move(store));
        auto signalStore = std::make_unique<PgSignalStore>(db, keys, ctx.tenantId, ctx.connectionId, ctx.instanceId);
        return std::make_unique<WhatsAppRunner>(config, std::move(credentials), std::move(store),
                                                std::move(signalStore), db, services, ctx.tenantId, ctx.connectionId,
                                                fresh);
    };
}

} // namespace atende::server::connectors
