#pragma once
// The WhatsApp client library's messaging layer (PROTOCOL.md §6–§8, §10–§11): one Messenger per linked
// account joins its whatsapp::Session (transport, login) and its signal::SignalAccount (sessions, keys)
// into sending and receiving 1:1 messages, receipts, chat states and presence. Both the product's WhatsApp
// connector (server/connectors) and atende-wasim's simulated customers are built on it; it knows nothing of
// tickets or PostgreSQL.
//
// Sending: device lists via usync (cached per user, invalidated by device notifications), prekey bundles
// for devices without a session, pkmsg/msg per device with v="2" padding, the device-sent copy for our own
// other devices, device-identity with any pkmsg; sends of one account are serialized; a send completes when
// the server acked the stanza.
//
// Receiving: stanzas are processed one at a time in arrival order. A message is decrypted (in memory),
// handed to the handler, and only when the handler has committed it is the Signal state flushed and the
// delivery receipt sent (a crash before that makes the server redeliver; the unflushed state still
// decrypts it again). A send waits while a received message is between decrypt and commit (its flush would
// write that message's ratchet step too), so a handler must not await a send of its own messenger. A
// handler failure is retried with back-off, never dropped. A decrypt failure sends a
// retry receipt (§8.4); a message already processed (duplicate counter) is receipted again, not re-handed.
// Receipts are acknowledged after the handler returned ok. Chat states and presence are not acknowledged.
//
// Not thread-safe: lives on the thread of its Session.

#include "common/core/result.h"
#include "server/whatsapp/jid.h"
#include "server/whatsapp/message_content.h"

#include <QDateTime>
#include <QObject>
#include <QStringList>
#include <chrono>
#include <memory>
#include <optional>
#include <qcoro/qcorotask.h>

namespace atende::server::whatsapp {
class Session;
}
namespace atende::server::signal {
class SignalAccount;
}

namespace atende::server::messenger {

struct MessengerOptions {
    bool ignoreGroups = true; // group messages are receipted and acked but not handed out
    std::chrono::milliseconds deviceListTtl{std::chrono::hours(1)};
    int maxRetryReceipts = 5;
    std::chrono::milliseconds sendAckTimeout{std::chrono::seconds(20)}; // no server ack → not_connected
    // Handler (and store flush) failures are retried after handlerRetryInitial, doubling up to handlerRetryMax.
    std::chrono::milliseconds handlerRetryInitial{std::chrono::milliseconds(500)};
    std::chrono::milliseconds handlerRetryMax{std::chrono::seconds(30)};
    int deviceCacheSize = 512; // users whose device lists are cached (bounded; evicts the oldest)
    int recentSentSize = 256;  // sent plaintexts kept to answer retry receipts (WM keeps 256)
};

struct ReceivedMessage {
    QString id;           // the stanza id (the external message id)
    whatsapp::Jid chat;   // the peer's user JID (PN or LID) or the group; for our own devices' copies the recipient
    whatsapp::Jid sender; // the sending device (AD JID)
    std::optional<whatsapp::Jid> senderPn;  // the sender's phone JID when known (stanza or usync mapping)
    std::optional<whatsapp::Jid> senderLid; // the sender's LID JID when known
    QString pushName;
    QDateTime timestamp;
    bool fromOwnDevice = false; // our phone (or another companion) wrote it in `chat`
    bool offline = false;       // delivered from the server's offline queue
    bool identityChanged = false;
    whatsapp::MessageContent content; // Kind::Unknown keeps the raw bytes: never dropped
};

struct ReceivedReceipt {
    whatsapp::Jid from; // the device that sent it
    whatsapp::Jid chat; // its user JID
    QStringList ids;
    QString type; // "delivered", "read", "played", "read-self", … (an empty wire type is "delivered")
    QDateTime timestamp;
};

struct ChatStateEvent {
    whatsapp::Jid from; // user JID
    bool composing = false;
};

struct PresenceEvent {
    whatsapp::Jid from;
    bool available = false;
    QDateTime lastSeen; // invalid when unknown or hidden
};

// What the application does with what arrives. Handlers run on the Messenger's thread, one at a time.
class MessengerHandler {
public:
    virtual ~MessengerHandler() = default;
    // Commit the message (idempotently: the same id may come again after a crash). ok → receipt is sent.
    virtual QCoro::Task<atende::core::Status> onMessage(ReceivedMessage message) = 0;
    // ok → the receipt stanza is acknowledged.
    virtual QCoro::Task<atende::core::Status> onReceipt(ReceivedReceipt receipt) = 0;
    // Whether onMessage committed message `id` from `sender` before. Asked when a message arrives under a
    // Signal message key already used: a redelivery of a committed message is receipted again; anything
    // else (a sender whose session state went back and reused a key for a NEW message) is asked for again
    // with a retry receipt instead of being lost. An error is retried like onMessage.
    virtual QCoro::Task<atende::core::Result<bool>> isCommitted(QString id, whatsapp::Jid sender) = 0;
    virtual void onChatState(const ChatStateEvent &event) = 0;
    virtual void onPresence(const PresenceEvent &event) = 0;
};

struct SendOptions {
    QString id; // empty: generated (§7.1); a retried send passes the same id
    std::optional<whatsapp::OutgoingQuote> quote;
};

class Messenger : public QObject {
    Q_OBJECT
public:
    // session, account and handler must outlive the messenger.
    Messenger(whatsapp::Session &session, signal::SignalAccount &account, MessengerHandler &handler,
              MessengerOptions options = {}, QObject *parent = nullptr);
    ~Messenger() override;

    // Sends a text to a user (PN or LID JID, device part ignored). Result: the message id, once the server
    // acked it. Errors: not_connected (retryable), wa_peer_unknown (the number is not on WhatsApp),
    // wa_send_rejected (server nack), wa_no_devices.
    QCoro::Task<atende::core::Result<QString>> sendText(whatsapp::Jid to, QString text, SendOptions options = {});
    // Sends any serialized `Message` (unpadded; e.g. from message_content.h's builders), as sendText does.
    QCoro::Task<atende::core::Result<QString>> sendMessage(whatsapp::Jid to, QByteArray message,
                                                           SendOptions options = {});
    // composing / paused to a user.
    atende::core::Status sendChatState(const whatsapp::Jid &to, bool composing);
    // Read receipt for messages of `chat` (ids from ReceivedMessage::id), sent to the sender device.
    atende::core::Status sendRead(const whatsapp::Jid &sender, const QStringList &ids);
    atende::core::Status sendPresence(bool available);
    // Asks the server for `user`'s presence updates (onPresence).
    atende::core::Status subscribePresence(const whatsapp::Jid &user);

    // Own identities of the logged-in account.
    whatsapp::Jid ownPn() const;
    std::optional<whatsapp::Jid> ownLid() const;

Q_SIGNALS:
    // The peer's identity key changed (a system line in the conversation).
    void identityChanged(const atende::server::whatsapp::Jid &user);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace atende::server::messenger
