#pragma once
// A simulated customer (issue 6 item 7): a wasim user whose companion device runs inside the atende-wasim
// process on our own WhatsApp client library — whatsapp::Session + signal::SignalAccount (in memory) +
// messenger::Messenger — paired through the simulator's own scan path. The admin API scripts it (send, type,
// read, go offline) and reads what it received, so the demo and the benchmarks need no Node; the messenger
// tests use it as a complete peer. Memory only: a simulator restart forgets customers.

#include "server/messenger/messenger.h"
#include "server/messenger/prekey_forwarding_store.h"
#include "server/signal/memory_signal_store.h"
#include "server/whatsapp/session.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <deque>
#include <functional>
#include <memory>

namespace atende::server::signal {
class SignalContext;
class SignalAccount;
} // namespace atende::server::signal

namespace atende::wasim {

class Simulator;

// Credentials and one-time prekeys (private parts included) in memory: what the product keeps in PostgreSQL.
class CustomerSessionStore : public server::whatsapp::SessionStore {
public:
    QCoro::Task<core::Status> saveCredentials(const server::whatsapp::Credentials &credentials) override;
    QCoro::Task<core::Status> savePreKeys(const QList<server::whatsapp::PreKeyRecord> &preKeys) override;
    QCoro::Task<core::Status> clear() override;

    QByteArray credentials; // serialized
    QList<server::whatsapp::PreKeyRecord> preKeys;
};

struct CustomerMessage {
    qint64 seq = 0;
    server::messenger::ReceivedMessage message;
    qint64 receivedAtMs = 0; // wall clock, for latency figures
};
struct CustomerReceipt {
    qint64 seq = 0;
    QString id;
    QString type;
    QString from; // device JID
    qint64 atMs = 0;
};
struct CustomerChatState {
    qint64 seq = 0;
    QString from;
    bool composing = false;
    qint64 atMs = 0;
};

struct CustomerPresence {
    qint64 seq = 0;
    QString from;
    bool available = false;
    qint64 atMs = 0;
};

class Customer : public QObject, public server::messenger::MessengerHandler {
    Q_OBJECT
public:
    // `simulator` and `context` must outlive the customer. The user `phone` must exist in the simulator.
    Customer(Simulator &simulator, server::signal::SignalContext &context, QString phone, QObject *parent = nullptr);
    ~Customer() override;

    // First call: pairs a new companion of the user (QR scanned by the simulated phone); later: logs in.
    // connectedChanged(true) once logged in.
    void start();
    void stop(); // offline: the session closes; the server queues what arrives
    bool isConnected() const;
    bool isOnline() const { return m_online; }
    // Simulated crash: messenger, session and Signal account are dropped WITHOUT flushing and rebuilt from
    // the stores (the Signal state as last flushed). Starts again when it was online.
    void crashAndRebuild();
    // crashAndRebuild() onto an older Signal state (a store that lost writes, a restored backup): the sender
    // then reuses message keys its peers have already used.
    void crashAndRebuildFrom(server::signal::SignalSnapshot olderState);

    QString phone() const { return m_phone; }
    std::optional<server::whatsapp::Jid> deviceJid() const; // own PN device JID once paired
    std::optional<server::whatsapp::Jid> lidJid() const;
    server::messenger::Messenger *messenger() const { return m_messenger.get(); }
    server::whatsapp::Session *session() const { return m_session.get(); }
    server::signal::SignalAccount *account() const { return m_account.get(); }
    server::signal::MemorySignalStore &signalStore() { return m_signalStore; }

    const std::deque<CustomerMessage> &messages() const { return m_messages; }
    const std::deque<CustomerReceipt> &receipts() const { return m_receipts; }
    const std::deque<CustomerChatState> &chatStates() const { return m_chatStates; }
    const std::deque<CustomerPresence> &presences() const { return m_presences; }
    // How often the handler was asked for a message it had already committed (0 = handed exactly once).
    int repeatedHandOuts() const { return m_repeatedHandOuts; }
    int handlerCalls() const { return m_handlerCalls; }
    // Tests: runs before a message is committed; a failing status makes the handler fail (the messenger
    // retries it).
    std::function<core::Status(const server::messenger::ReceivedMessage &)> beforeCommit;
    QJsonObject toJson() const;
    // Messages, receipts and chat states with seq > after, as the admin API's inbox.
    QJsonObject inboxJson(qint64 after) const;

    // MessengerHandler
    QCoro::Task<core::Status> onMessage(server::messenger::ReceivedMessage message) override;
    QCoro::Task<core::Status> onReceipt(server::messenger::ReceivedReceipt receipt) override;
    QCoro::Task<core::Result<bool>> isCommitted(QString id, server::whatsapp::Jid sender) override;
    void onChatState(const server::messenger::ChatStateEvent &event) override;
    void onPresence(const server::messenger::PresenceEvent &event) override;

Q_SIGNALS:
    void connectedChanged(bool connected);
    void failed(const QString &reason); // pairing or login failed for good
    void messageReceived(const atende::wasim::CustomerMessage &message);

private:
    void build();
    void teardown();

    Simulator &m_sim;
    server::signal::SignalContext &m_context;
    QString m_phone;
    CustomerSessionStore m_store;
    server::messenger::PreKeyForwardingStore m_forwarding{m_store};
    server::signal::MemorySignalStore m_signalStore;
    std::unique_ptr<server::signal::SignalAccount> m_account;
    std::unique_ptr<server::whatsapp::Session> m_session;
    std::unique_ptr<server::messenger::Messenger> m_messenger;
    bool m_online = false;
    bool m_scanned = false;
    qint64 m_seq = 0;
    std::deque<CustomerMessage> m_messages;
    std::deque<CustomerReceipt> m_receipts;
    std::deque<CustomerChatState> m_chatStates;
    std::deque<CustomerPresence> m_presences;
    QSet<QString> m_committed;
    int m_repeatedHandOuts = 0;
    int m_handlerCalls = 0;
};

} // namespace atende::wasim
