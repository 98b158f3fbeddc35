#pragma once
// What the supervisor runs for one owned connection. The production runner (whatsapp_runner.h) wraps a
// whatsapp::Session with a PgSessionStore; the supervisor only sees this interface, so ownership, commands
// and state persistence do not depend on the protocol code.

#include "common/core/result.h"

#include <QDateTime>
#include <QObject>
#include <QUuid>
#include <qcoro/qcorotask.h>

#include <functional>
#include <memory>

namespace atende::server::connectors {

struct RunnerHealth {
    QString state = QStringLiteral("disconnected"); // whatsapp::sessionStateName() values
    QString reason;
    QDateTime lastFrameAt;
    QDateTime connectedAt;
    int reconnects = 0;
};

class ConnectionRunner : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Connect and keep connected: paired credentials log in, none (or unpaired ones) register and show QRs.
    virtual void start() = 0;
    // Close without touching the account (shutdown, lost ownership).
    virtual void stop() = 0;
    virtual QCoro::Task<atende::core::Status> requestPairingCode(QString phoneNumber) = 0;
    // Unlink the device and forget the credentials; ends in state logged_out.
    virtual QCoro::Task<atende::core::Status> logout() = 0;
    virtual RunnerHealth health() const = 0;

Q_SIGNALS:
    void stateChanged(const QString &state, const QString &reason);
    // kind "qr" or "code"; the value is a short-lived secret (never logged).
    void pairingSecret(const QString &kind, const QString &value, qint64 validForMs);
};

struct RunnerContext {
    QUuid tenantId;
    QUuid connectionId;
    QString instanceId;
    QByteArray credentials; // serialized whatsapp::Credentials; empty = generate fresh ones (new pairing)
};

using RunnerFactory = std::function<std::unique_ptr<ConnectionRunner>(const RunnerContext &)>;

} // namespace atende::server::connectors
