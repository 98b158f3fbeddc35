#pragma once
// One linked WhatsApp account on one WebSocket (PROTOCOL.md §1-§6, §11): transport, Noise, registration
// with QR or code pairing, login, prekey top-up, keepalive, reconnection with back-off, logout. Knows
// nothing of tickets; the product (server/connectors) owns one Session per connection it runs and
// persists through SessionStore. Stanzas the session does not handle itself (messages, receipts, chat
// states, presence...) are handed out through stanzaReceived() in arrival order.
//
// Memory matters: thousands of sessions share one process (≤ 100 KiB per idle session is the target), so
// a Session owns its socket, timers and credentials and nothing per-session beyond that.
//
// Implemented in session.cpp (lifecycle), session_iq.cpp, session_pairing.cpp and session_login.cpp.

#include "common/core/result.h"
#include "server/whatsapp/credentials.h"
#include "server/whatsapp/node.h"

#include <QDateTime>
#include <QObject>
#include <QUrl>
#include <chrono>
#include <functional>
#include <memory>
#include <qcoro/qcorotask.h>

namespace atende::server::whatsapp {

class SessionStore;

enum class SessionState {
    Disconnected, // not running, or waiting for the next reconnect attempt
    Connecting,   // socket + Noise + login in progress
    AwaitingQr,   // registration connection up, QR codes (or a pairing code) being shown
    Pairing,      // pair-success received, finishing (sign, 515, first login)
    Connected,    // logged in
    LoggedOut,    // removed from the phone or logged out: needs a new pairing, no retries
    Failed,       // a permanent failure (client outdated, banned, bad certificate...): no retries
};
// Stable lower-case names used in the API, events and logs: "disconnected", "connecting", "awaiting_qr",
// "pairing", "connected", "logged_out", "failed". The reason codes that go with them, and which of them are
// retried, are in session_reasons.h. Disconnected without a retry: "stopped", "replaced", "qr_refs_exhausted".
QString sessionStateName(SessionState state);

struct SessionConfig {
    QUrl url{QStringLiteral("wss://web.whatsapp.com/ws/chat")};
    // Noise certificate trust root (§2.4); empty = WhatsApp's.
    QByteArray trustRootPublicKey;
    quint32 trustRootSerial = 0;
    std::function<QDateTime()> clock;              // null = system clock; injectable for certificate validity tests
    QString deviceName = QStringLiteral("Atende"); // DeviceProps.os, shown in the phone's linked devices
    quint32 versionPrimary = 2, versionSecondary = 3000, versionTertiary = 1045649367;
    std::chrono::milliseconds keepaliveInterval{25000}; // ± 5 s jitter
    std::chrono::milliseconds keepaliveDeadline{10000};
    std::chrono::milliseconds backoffInitial{1000};
    std::chrono::milliseconds backoffMax{60000};
    double backoffJitter = 0.2;
    // QR rotation (§5.1): the first ref is shown 60 s, each following one 20 s. Configurable for tests.
    std::chrono::milliseconds qrFirstRefValidity{60000};
    std::chrono::milliseconds qrNextRefValidity{20000};
};

struct SessionHealth {
    SessionState state = SessionState::Disconnected;
    QString reason;        // stable code of the last transition, e.g. "stream_error_515", "device_removed"
    QDateTime since;       // when `state` was entered
    QDateTime lastFrameAt; // last frame received
    QDateTime connectedAt; // start of the current Connected period (uptime)
    int reconnects = 0;    // reconnect attempts since start()
};

class Session : public QObject {
    Q_OBJECT
public:
    Session(SessionConfig config, Credentials credentials, SessionStore &store, QObject *parent = nullptr);
    ~Session() override;

    // Connect and keep connected: unpaired credentials register and show QR codes; paired ones log in.
    void start();
    // Close and stop reconnecting (state Disconnected, reason "stopped"; LoggedOut and Failed are kept).
    void stop();
    // While AwaitingQr: link by phone number instead (§5.3); the code arrives through pairingCodeReady().
    QCoro::Task<core::Status> requestPairingCode(QString phoneNumber);
    // Unlink this device (remove-companion-device), clear the store, state LoggedOut ("logged_out").
    QCoro::Task<core::Status> logout();
    // Sends a stanza on the logged-in connection; not_connected otherwise.
    core::Status send(const Node &node);
    // §6.4: acknowledges a stanza handed out through stanzaReceived() (receipt, notification, call, or a
    // message that will get no receipt — then with a nack code such as 487/488/491). Never automatic for
    // those stanzas: call it after what the stanza means is committed, so that a crash before the commit
    // makes the server deliver it again. A processed message is acknowledged by its delivery receipt
    // (receipt_stanza.h), not by an ack. wa_stanza_missing_attribute for a stanza without id or from.
    core::Status acknowledge(const Node &stanza, int nackCode = 0);
    // Sends an iq and waits for its result (or error / disconnect / timeout).
    QCoro::Task<core::Result<Node>> query(Node iq, std::chrono::milliseconds timeout = std::chrono::seconds(60));

    SessionState state() const;
    SessionHealth health() const;
    const Credentials &credentials() const;

Q_SIGNALS:
    void stateChanged(atende::server::whatsapp::SessionState state, const QString &reason);
    // A new QR text to show, valid for `validForMs` (60 s for the first ref, 20 s for the others).
    void qrCodeChanged(const QString &qrText, qint64 validForMs);
    void pairingCodeReady(const QString &code); // "ABCD-EFGH"
    void stanzaReceived(const atende::server::whatsapp::Node &stanza);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace atende::server::whatsapp
