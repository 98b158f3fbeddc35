#pragma once
// Internals shared by messenger.cpp (stanza dispatch, chat states, presence, notifications),
// messenger_send.cpp (sending, device lists, bundles, answering retry receipts) and messenger_receive.cpp
// (the ordered receive queue: decrypt, hand out, flush, receipt).

#include "server/messenger/async_lock.h"
#include "server/messenger/device_cache.h"
#include "server/messenger/messenger.h"
#include "server/signal/signal_account.h"
#include "server/whatsapp/message_stanza.h"
#include "server/whatsapp/receipt_stanza.h"
#include "server/whatsapp/session.h"

#include <QHash>
#include <QLoggingCategory>
#include <QTimeZone>

#include <memory>

namespace atende::server::messenger {

Q_DECLARE_LOGGING_CATEGORY(lcMessenger)

// What a coroutine checks after every suspension: the Messenger may be gone.
struct Life {
    bool alive = true;
};

// Holds an AsyncLock the coroutine acquired and releases it on every return (only while the messenger lives:
// the lock dies with it).
struct LockHold {
    std::shared_ptr<Life> life;
    AsyncLock &lock;
    LockHold(std::shared_ptr<Life> l, AsyncLock &k)
        : life(std::move(l))
        , lock(k)
    {}
    LockHold(const LockHold &) = delete;
    LockHold &operator=(const LockHold &) = delete;
    ~LockHold()
    {
        if (life->alive)
            lock.unlock();
    }
};

// A message we sent, kept to answer retry receipts (§7.7, §8.4).
struct SentMessage {
    whatsapp::Jid chat;
    QByteArray message; // serialized Message, unpadded
    QString type;
    qint64 timestamp = 0;
    qint64 keptAtMs = 0; // wall clock; entries older than an hour are dropped
};

struct Messenger::Private {
    Private(Messenger *q, whatsapp::Session &session, signal::SignalAccount &account, MessengerHandler &handler,
            MessengerOptions options);

    Messenger *q;
    whatsapp::Session &session;
    signal::SignalAccount &account;
    MessengerHandler &handler;
    MessengerOptions options;
    std::shared_ptr<Life> life = std::make_shared<Life>();
    DeviceCache devices;
    AsyncLock sendLock;
    AsyncLock flushLock;
    // Guards the account's Signal state against flushes that would make an inbound message's ratchet step
    // durable before the handler committed it. Held by the receive path from decrypt to its flush and
    // receipt, and by sends (after sendLock) from their first change of the state to the server's ack: a
    // send's flush writes the WHOLE pending state, and once an uncommitted message's counter is stored a
    // redelivery after a crash decrypts as a duplicate and is never handed out.
    AsyncLock stateLock;

    // ---- receive (messenger_receive.cpp)
    // Message, receipt and notification stanzas waiting, in arrival order. QList, not std::deque: an empty
    // QList allocates nothing, a deque ~600 bytes — per account, with thousands of accounts.
    QList<whatsapp::Node> inbox;
    bool processing = false;
    QString inFlightId;            // message decrypted and being handed out (not yet receipted)
    QHash<QString, int> retrySent; // message id → retry receipts sent (bounded)
    void enqueue(const whatsapp::Node &stanza);
    QCoro::Task<> processInbox();
    QCoro::Task<> processMessage(whatsapp::Node stanza);
    QCoro::Task<> processReceipt(whatsapp::Node stanza);
    void processNotification(const whatsapp::Node &stanza);
    // Retries `attempt` with back-off until it succeeds or the messenger dies / the session drops.
    QCoro::Task<bool> untilOk(std::function<QCoro::Task<core::Status>()> attempt, QString what);
    core::Status sendDeliveryReceipt(const whatsapp::IncomingMessage &message);
    core::Status sendRetryReceipt(const whatsapp::IncomingMessage &message, int count);
    // A message we could not read: a retry receipt (count from `senderRetry` and ours), or a nack once the
    // retries are spent.
    void askAgain(const whatsapp::Node &stanza, const whatsapp::IncomingMessage &message, int senderRetry,
                  const core::Error &failure);
    // handler.isCommitted() as a Status for untilOk(); the answer goes to *known.
    QCoro::Task<core::Status> lookUpCommitted(QString id, whatsapp::Jid sender, bool *known);
    void fillIdentities(ReceivedMessage &out, const whatsapp::Node &stanza, const whatsapp::IncomingMessage &in);

    // ---- send (messenger_send.cpp)
    QList<QString> sentOrder;
    QHash<QString, SentMessage> sent;
    void rememberSent(const QString &id, SentMessage message);
    QCoro::Task<core::Result<QString>> send(whatsapp::Jid to, QByteArray message, QString id);
    // Device JIDs of `users` (cache, then one usync for the rest). Users the server does not know are
    // missing from the result.
    QCoro::Task<core::Result<QHash<QString, QList<whatsapp::Jid>>>> deviceLists(QList<whatsapp::Jid> users);
    // Makes sure every device has a Signal session (one key fetch for those without); returns the devices
    // that have one afterwards.
    QCoro::Task<core::Result<QList<whatsapp::Jid>>> ensureSessions(QList<whatsapp::Jid> devices, bool force);
    QCoro::Task<core::Status> flush();
    QCoro::Task<> answerRetry(whatsapp::IncomingReceipt receipt);

    whatsapp::Jid ownPn() const;
    std::optional<whatsapp::Jid> ownLid() const;
    bool isOwnUser(const whatsapp::Jid &jid) const;
};

// The Signal layer's form of a bundle the stanza layer parsed.
signal::PreKeyBundle toSignalBundle(const whatsapp::PreKeyBundle &bundle);

// user JID (no device, no agent) of any JID
inline whatsapp::Jid userOf(const whatsapp::Jid &jid)
{
    return whatsapp::Jid::make(jid.user, jid.server);
}
inline QString userKey(const whatsapp::Jid &jid)
{
    return jid.user + u'@' + jid.server;
}

} // namespace atende::server::messenger
