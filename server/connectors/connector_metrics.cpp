#include "server/connectors/connector_metrics.h"

#include "server/api/metrics.h"
#include "server/connectors/connection_supervisor.h"

#include <QPointer>

namespace atende::server::connectors {

void addConnectorMetrics(api::Metrics &metrics, const ConnectionSupervisor *supervisor)
{
    const QPointer<const ConnectionSupervisor> s(supervisor);
    metrics.addGauge(QStringLiteral("atende_whatsapp_connections_owned"),
                     QStringLiteral("WhatsApp connections this instance owns."),
                     [s] { return s ? double(s->ownedCount()) : 0.0; });
    // The metrics module has no labels: one gauge per state keeps the scrape cheap and explicit.
    for (const char *state :
         {"disconnected", "connecting", "awaiting_qr", "pairing", "connected", "logged_out", "failed"}) {
        const QString name = QString::fromLatin1(state);
        metrics.addGauge(QStringLiteral("atende_whatsapp_connections_") + name,
                         QStringLiteral("Owned WhatsApp connections in state %1.").arg(name),
                         [s, name] { return s ? double(s->countInState(name)) : 0.0; });
    }
    metrics.addGauge(
        QStringLiteral("atende_whatsapp_reconnects_total"),
        QStringLiteral("Reconnect attempts of the WhatsApp sessions this instance runs now."),
        [s] { return s ? double(s->reconnectsTotal()) : 0.0; }, true);
}

} // namespace atende::server::connectors
