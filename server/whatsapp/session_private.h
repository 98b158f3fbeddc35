#pragma once
// Session internals shared by session*.cpp (one file per concern: lifecycle, iq, pairing, login).

#include "server/whatsapp/iq.h"
#include "server/whatsapp/noise_socket.h"
#include "server/whatsapp/session.h"
#include "server/whatsapp/session_store.h"

#include <QHash>
#include <QStringList>
#include <QTimer>

#include <coroutine>
#include <memory>
#include <optional>

namespace atende::server::whatsapp {

// Coroutines of a session outlive nothing: they copy this token and, after every co_await, stop unless
// the session still exists and is still on the same connection (`epoch` grows with each connection).
struct SessionLife {
    bool alive = true;
    quint64 epoch = 0;
};

struct SessionGuard {
    std::shared_ptr<SessionLife> life;
    quint64 epoch;
    bool valid() const { return life->alive && life->epoch == epoch; }
};

// One iq waiting for its answer: completed by the response, by the deadline or by a disconnect.
struct PendingIq {
    std::optional<core::Result<Node>> result;
    std::coroutine_handle<> handle;
};

struct IqAwaiter {
    std::shared_ptr<PendingIq> pending;
    bool await_ready() const noexcept { return pending->result.has_value(); }
    void await_suspend(std::coroutine_handle<> h) noexcept { pending->handle = h; }
    void await_resume() const noexcept {}
};

struct CodePairing {
    QString code;
    QString phone;
    crypto::KeyPair ephemeral;
    QString ref;
};

struct Session::Private {
    Private(Session *q, SessionConfig config, Credentials credentials, SessionStore &store);

    Session *q;
    SessionConfig config;
    Credentials credentials;
    SessionStore &store;
    std::shared_ptr<SessionLife> life = std::make_shared<SessionLife>();
    std::unique_ptr<NoiseSocket> socket;
    SessionHealth health;
    bool running = false;
    bool loggedIn = false;
    int consecutiveFailures = 0;
    QTimer reconnectTimer;
    QTimer keepaliveTimer;
    QTimer qrTimer;
    QStringList qrRefs;
    int qrIndex = 0;
    int keepaliveMisses = 0;
    QString idPrefix;
    quint32 idCounter = 0;
    QHash<QString, std::shared_ptr<PendingIq>> pending;
    std::optional<CodePairing> codePairing;
    qint64 serverClockOffsetSecs = 0;
    bool uploadingPreKeys = false;
    bool loggingOut = false; // logout() finishes the job itself when the server drops us

    SessionGuard guard() const { return {life, life->epoch}; }
    QDateTime now() const;

    // Lifecycle (session.cpp)
    void setState(SessionState state, const QString &reason);
    void connectNow();
    void onClosed(const QString &reason);
    void closeWith(const QString &reason); // closes the current connection and applies the reason's action
    void dropConnection();                 // closes without any state change, fails waiters
    void onNode(const Node &node);

    // IQ (session_iq.cpp)
    QString nextId();
    core::Status sendNode(const Node &node);
    QCoro::Task<core::Result<Node>> rawQuery(Node iq, std::chrono::milliseconds timeout);
    bool completeIq(const Node &node); // true when the node answered a waiting query
    void finish(const QString &id, core::Result<Node> result);
    void failAllWaiters(const QString &why);
    void ack(const Node &stanza);
    void sendIqIgnoringResult(Node iq);

    // Pairing (session_pairing.cpp)
    void onPairDevice(const Node &iq);
    void showNextQr();
    QCoro::Task<> onPairSuccess(Node iq);
    void onLinkCodeNotification(const Node &notification);

    // Logged in (session_login.cpp)
    void onSuccess(const Node &success);
    QCoro::Task<> afterLogin(SessionGuard g, bool lidChanged);
    QCoro::Task<> uploadPreKeys(SessionGuard g, int count);
    void onEncryptNotification(const Node &notification);
    void scheduleKeepalive();
    QCoro::Task<> sendKeepalive(SessionGuard g);
    QCoro::Task<> logOutLocally(QString reason);
};

} // namespace atende::server::whatsapp
