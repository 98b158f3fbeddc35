#pragma once
// atende-wasim: a protocol-faithful simulated WhatsApp network (PROTOCOL.md §12) for tests, benchmarks and
// the demo. One Simulator listens on 127.0.0.1 for client WebSockets (/ws/chat) and for its admin HTTP API
// (see README.md); the C++ methods below mirror the admin API so that tests can drive it in-process.
//
// It plays both the server and every user's phone: registration hands out QR refs, scan() acts as the
// phone that scanned a QR, logins are checked against the Noise key captured at pairing, and the iq
// namespaces clients use after login are answered. Faults (stream errors, failures, drops, delays,
// compressed frames, broken certificate chains) are switched on per test.

#include "common/core/result.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/node.h"
#include "tests/wasim/sim_state.h"
#include "tests/wasim/test_ca.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <functional>
#include <map>
#include <memory>
#include <set>

class QWebSocket;

namespace atende::server::api {
class HttpServer;
}
namespace atende::server::whatsapp::proto {
class ClientPayload;
}
namespace atende::server::signal {
class SignalContext;
}

namespace atende::wasim {

class Connection;
class AdminApi;
class Customer;

struct SimulatorOptions {
    QByteArray seed;     // fixes the CA and server static keys; empty = random per run
    int pairRefs = 6;    // refs per pair-device iq
    int autoScanMs = -1; // >= 0: QR texts posted to /admin/qr are scanned after this many ms
    // Tests: fixed server keys / chain, e.g. the ones of test-vectors.json.
    std::optional<server::whatsapp::crypto::KeyPair> serverStatic;
    std::function<server::whatsapp::crypto::KeyPair()> ephemeralKeys;
    QByteArray certChainOverride;
    std::function<qint64()> clock; // unix seconds; null = system clock
    // Users and linked devices are kept in <stateDir>/state.json and the seed in <stateDir>/seed.
    QString stateDir;
};

struct Faults {
    ChainFault chain = ChainFault::None;
    int replyDelayMs = 0;                // delay for acks and iq results
    bool compressFrames = false;         // send every node as a zlib frame (flag 0x02)
    std::optional<int> nextLoginFailure; // the next login of any device fails with this reason
};

struct ScanOptions {
    QString phone; // which user's phone scans; empty = the first user (created on demand)
    bool badHmac = false;
    bool badAccountSignature = false;
    bool hosted = false; // hosted account: HMAC and account signature with the 06 05 prefix (§5.2)
};

struct UserSpec {
    QString phone;
    QString pushName;
    QString lid; // empty = derived from the phone number
};

class Simulator : public QObject {
    Q_OBJECT
public:
    explicit Simulator(SimulatorOptions options = {}, QObject *parent = nullptr);
    ~Simulator() override;

    // Listens on 127.0.0.1 (WebSocket and admin HTTP on separate ports); 0 = any free port.
    core::Status start(quint16 port = 0, int adminPort = 0);
    QUrl wsUrl() const;
    QUrl adminUrl() const;
    QByteArray trustRootPublicKey() const { return m_ca.rootPublicKey(); }
    static constexpr quint32 trustRootSerial() { return TestCa::kRootSerial; }
    QByteArray serverStaticPublicKey() const { return m_serverStatic.publicKey; }
    const TestCa &certificateAuthority() const { return m_ca; }

    // ---- admin API mirror
    core::Result<SimUser> createUser(const UserSpec &spec);
    QList<SimUser> users() const;
    // Acts as the phone scanning `qrText`; returns the JID the new device will get. Linking completes when
    // the client answers with pair-device-sign (deviceLinked()).
    core::Result<QString> scan(const QString &qrText, const ScanOptions &options = {});
    // The phone enters `code` for a companion that sent companion_hello for `phone` (§5.3).
    core::Status enterPairingCode(const QString &phone, const QString &code);
    QJsonObject deviceJson(const SimDevice &device) const;
    QList<QJsonObject> devices() const;
    std::optional<SimDevice> device(const QString &deviceKey) const;
    bool isConnected(const QString &deviceKey) const;
    QList<QJsonObject> connections() const;
    // "515", "503", "device_removed", "replaced" to every connection of the device.
    core::Status sendStreamError(const QString &deviceKey, const QString &kind);
    core::Status dropConnections(const QString &deviceKey);
    core::Status failNextLogin(const QString &deviceKey, int reason);
    // Removes the device as the phone would (unlink): device_removed to its connections.
    core::Status removeDevice(const QString &deviceKey);
    Faults &faults() { return m_faults; }
    QJsonObject faultsJson() const;
    core::Status setFaults(const QJsonObject &json);
    // Last events (pairing results, login failures, closed connections) for tests and debugging.
    QStringList events() const { return m_events; }
    void queueQrForAutoScan(const QString &qrText);

    // ---- protocol, called by Connection
    QByteArray certChain();
    server::whatsapp::crypto::KeyPair serverStaticKey() const { return m_serverStatic; }
    server::whatsapp::crypto::KeyPair nextEphemeral() const;
    void onClientPayload(Connection &connection, const QByteArray &payload);
    void onNode(Connection &connection, const server::whatsapp::Node &node);
    void record(const QString &event);
    qint64 now() const;
    QString nextId();

    // ---- message relay (relay.cpp, relay_receipts.cpp, delivery.cpp; README "Message relay")
    // What the device is owed and has not acknowledged yet, oldest first (no payload bytes).
    core::Result<QJsonArray> queuedStanzas(const QString &deviceKey) const;
    core::Result<QJsonObject> relayCounters(const QString &deviceKey) const;
    // Fault: while held, stanzas for the device are queued as if it were offline; releasing sends them.
    core::Status holdDelivery(const QString &deviceKey, bool hold);
    // Fault: cut the device's connection (no stream end) right after `count` more stanzas were written.
    core::Status dropAfterDeliveries(const QString &deviceKey, int count);

    // ---- simulated customers (customer.h, sim_customers.cpp; README "Simulated customers"): a companion
    // device of `phone` (the user is created when missing) run in this process on our own client library.
    // Linking completes asynchronously (Customer::connectedChanged). wasim_customer_exists (409),
    // wasim_bad_phone. Customers live in memory only.
    core::Result<Customer *> createCustomer(const QString &phone, const QString &pushName = {});
    Customer *customer(const QString &phone) const;
    QList<Customer *> customers() const;

    // Extension point: handlers for stanza tags other than iq/presence/ib/ack; they replace the built-in
    // relay of that tag.
    using StanzaHandler = std::function<void(Connection &, const server::whatsapp::Node &)>;
    void setStanzaHandler(const QString &tag, StanzaHandler handler) { m_stanzaHandlers.insert(tag, handler); }

Q_SIGNALS:
    void deviceLinked(const QString &deviceKey);
    void deviceLoggedIn(const QString &deviceKey);
    void pairingFailed(const QString &reason);
    void eventRecorded(const QString &event);

private:
    friend class AdminApi;
    void onWebSocket(QWebSocket *socket);
    // sim_persistence.cpp
    static SimulatorOptions withStateSeed(SimulatorOptions options);
    void markDirty();
    void saveState();
    void loadState();
    SimUser *userFor(const QString &phone, bool createDefault);
    SimDevice *findDevice(const QString &deviceKey);
    QList<Connection *> connectionsOf(const QString &deviceKey) const;
    QString pnJid(const QString &phone, quint16 device) const;
    QString lidJid(const SimUser &user, quint16 device) const;

    // registration.cpp
    void beginRegistration(Connection &connection, const server::whatsapp::proto::ClientPayload &payload);
    void onPairDeviceSign(Connection &connection, const server::whatsapp::Node &iq);
    core::Status sendPairSuccess(Connection &connection, SimUser &user, const QByteArray &advSecret,
                                 const ScanOptions &options);
    void onLinkCode(Connection &connection, const server::whatsapp::Node &iq);
    // login.cpp
    void login(Connection &connection, quint64 username, quint32 device, const QString &pushName);
    // iq.cpp
    void onIq(Connection &connection, const server::whatsapp::Node &iq);
    void onEncryptIq(Connection &connection, const server::whatsapp::Node &iq);
    void onUsyncIq(Connection &connection, const server::whatsapp::Node &iq);
    void onMdIq(Connection &connection, const server::whatsapp::Node &iq);
    std::vector<server::whatsapp::Node> phoneBundle(const SimUser &user);
    // delivery.cpp: outboxes
    void deliver(const QString &deviceKey, server::whatsapp::Node stanza);
    void deliverEphemeral(const QString &phone, const server::whatsapp::Node &stanza, const QString &exceptDevice);
    void writeEntry(Connection &connection, SimDevice &device, OutboxEntry &entry, bool offline);
    int sendBacklog(Connection &connection, SimDevice &device);
    int acknowledge(SimDevice &device, const std::function<bool(const server::whatsapp::Node &)> &match);
    void onClientAck(Connection &connection, const server::whatsapp::Node &ack);
    // relay.cpp, relay_receipts.cpp
    void onMessage(Connection &connection, const server::whatsapp::Node &message);
    void rejectMessage(Connection &connection, const server::whatsapp::Node &message, const QString &why);
    void onReceipt(Connection &connection, const server::whatsapp::Node &receipt);
    void onChatstate(Connection &connection, const server::whatsapp::Node &chatstate);
    void onPresence(Connection &connection, const server::whatsapp::Node &presence);
    void sendPresenceOf(const QString &phone, const QString &subscriberKey);
    void notifyDevicesChanged(const QString &phone, const QString &deviceKey, bool added);
    SimUser *userForJid(const server::whatsapp::Jid &jid);
    QStringList companionKeys(const QString &phone) const;
    void rememberSender(const QString &messageId, const QString &deviceKey);

    SimulatorOptions m_options;
    TestCa m_ca;
    server::whatsapp::crypto::KeyPair m_serverStatic;
    QByteArray m_cachedChain; // chain without faults, signed once
    server::whatsapp::CurveSigner m_signer;
    Faults m_faults;
    std::unique_ptr<server::api::HttpServer> m_wsServer;
    std::unique_ptr<server::api::HttpServer> m_adminServer;
    std::unique_ptr<AdminApi> m_admin;
    std::map<QString, SimUser> m_users;     // by phone
    std::map<QString, SimDevice> m_devices; // by "phone:device"
    QList<QString> m_userOrder;
    QHash<quint64, Connection *> m_connections;
    QHash<QString, StanzaHandler> m_stanzaHandlers;
    std::map<QString, std::set<QString>> m_subscriptions; // presence: subscriber device key → phones
    QHash<QString, QString> m_messageSenders;             // recent message id → sending device key
    QStringList m_messageOrder;                           // ... oldest first, bounded
    QStringList m_events;
    std::unique_ptr<server::signal::SignalContext> m_signalContext; // created with the first customer
    std::map<QString, std::unique_ptr<Customer>> m_customers;       // by phone
    quint64 m_nextConnectionId = 1;
    quint64 m_nextId = 1;
    bool m_saveScheduled = false;
};

} // namespace atende::wasim
