#pragma once
// The desk's Connector for one WhatsApp connection, and the MessengerHandler of that connection's Messenger
// (ARCHITECTURE.md "Inbound"/"Outbound"; issue 6 item 5). The only place that knows both the desk and the
// messaging layer. Lives on the owner instance: the WhatsAppRunner owns it, registers it in the
// ConnectorRegistry for its connection id while it runs and points it at the Messenger once logged in.
//
// Outbound: the peer's wa_phone identity (else wa_lid) is the recipient; the WhatsApp message id is derived
// from the desk's message id (messageIdFor), so a retried job re-sends under the same id and the peer's
// phone drops the duplicate.
//
// Inbound (what each kind of content becomes):
//   text, media (type, caption, metadata; no download), location, contact card → an inbound message;
//   reaction → an inbound message "reacted 👍" quoting the target (an empty emoji: "removed a reaction");
//   edit → "edited a message: <new text>" quoting the target; revoke → "deleted a message" quoting it
//   (the original stays: the desk keeps what the agent saw);
//   Kind::Unknown → "unsupported message type" (never dropped);
//   protocol-only content (history sync, keys, a bare sender-key distribution) → nothing to show;
//   copies from our own other devices (the phone itself) → not stored (the desk has no way yet to add an
//   outbound message it did not send); group messages when the connection does not ignore groups →
//   the sender's message prefixed with the group id.
// onMessage returns ok only after Inbox::ingest committed, so the Messenger sends the delivery receipt
// after the commit (PROTOCOL.md §8.3). A message the desk rejects as invalid (a malformed address) is
// acknowledged and logged, since retrying cannot help and would stall the stanzas behind it.

#include "server/desk/connector.h"
#include "server/desk/message_types.h"
#include "server/messenger/messenger.h"

#include <QPointer>
#include <QSet>
#include <QUuid>

namespace atende::server::desk {
class Inbox;
}

namespace atende::server::connectors {

class WhatsAppConnector : public desk::Connector, public messenger::MessengerHandler {
    Q_OBJECT
public:
    WhatsAppConnector(desk::Inbox &inbox, QUuid tenantId, QUuid connectionId, bool ignoreGroups,
                      QObject *parent = nullptr);

    // Null while not logged in: sends fail with not_connected (retryable).
    void setMessenger(messenger::Messenger *messenger);

    QString kind() const override { return QStringLiteral("whatsapp"); }
    QCoro::Task<desk::ConnectorResult> send(desk::OutboundMessage message) override;
    QCoro::Task<desk::ConnectorResult> markRead(desk::ReadMark mark) override;
    QCoro::Task<desk::ConnectorResult> setTyping(desk::ConnectorPeer peer, bool typing) override;

    QCoro::Task<atende::core::Status> onMessage(messenger::ReceivedMessage message) override;
    QCoro::Task<atende::core::Status> onReceipt(messenger::ReceivedReceipt receipt) override;
    QCoro::Task<atende::core::Result<bool>> isCommitted(QString id, whatsapp::Jid sender) override;
    void onChatState(const messenger::ChatStateEvent &event) override;
    void onPresence(const messenger::PresenceEvent &event) override;

    // The session (re)connected: presence subscriptions start over.
    void sessionConnected();
    // The peer's identity key changed: a system line on the contact's active ticket.
    void identityChanged(const whatsapp::Jid &user);

    // "3EB0" + 18 upper-case hex digits, a function of the desk message id alone.
    static QString messageIdFor(const QUuid &messageId);
    // The user JID a message to the peer goes to; nullopt when it has no WhatsApp identity.
    static std::optional<whatsapp::Jid> recipientOf(const desk::ConnectorPeer &peer);
    // (kind, value) of a user JID: wa_phone for s.whatsapp.net, wa_lid for lid; nullopt otherwise.
    static std::optional<std::pair<QString, QString>> identityOf(const whatsapp::Jid &jid);
    // What the desk stores for a received message; nullopt when there is nothing to store.
    static std::optional<desk::InboundMessage> inboundOf(const messenger::ReceivedMessage &message, bool ignoreGroups);

private:
    void rememberSender(const QString &messageId, const whatsapp::Jid &device);

    desk::Inbox &m_inbox;
    QUuid m_tenantId;
    QUuid m_connectionId;
    bool m_ignoreGroups = true;
    QPointer<messenger::Messenger> m_messenger;
    // The sending device of recent inbound messages, for read receipts (bounded, oldest dropped first).
    QHash<QString, whatsapp::Jid> m_senderOf;
    QStringList m_senderOrder;
    // Ids of our sends (started, ms since epoch) for the last two minutes: the peer's delivery receipt can
    // arrive before the desk recorded the external id of the send (the server acks and the peer receipts
    // within a millisecond), and onReceipt waits briefly for that instead of dropping the receipt.
    QHash<QString, qint64> m_recentSends;
    // Users whose presence this session asked for (presence of a customer who wrote; reset per messenger).
    QSet<QString> m_presenceAsked;
};

} // namespace atende::server::connectors
