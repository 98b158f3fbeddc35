// WhatsAppConnector: the desk → WhatsApp side (send, read marks, typing). The inbound side is in
// whatsapp_connector_inbound.cpp.

#include "server/connectors/whatsapp_connector.h"

#include "server/connectors/logging.h"
#include "server/desk/inbox.h"

#include <QCryptographicHash>
#include <QDateTime>

namespace atende::server::connectors {

using atende::core::Status;
using desk::ConnectorResult;

namespace {

// Stable reasons for the desk (the outbound sender stores them on failed messages).
ConnectorResult failureOf(const atende::core::Error &e)
{
    const QString code = e.code;
    if (code == QLatin1String("wa_peer_unknown"))
        return ConnectorResult::failure(QStringLiteral("peer_unreachable"), false);
    if (code == QLatin1String("wa_no_devices"))
        return ConnectorResult::failure(QStringLiteral("peer_no_devices"), true);
    if (code == QLatin1String("wa_send_rejected"))
        return ConnectorResult::failure(QStringLiteral("send_rejected"), false);
    if (code == QLatin1String(atende::core::errc::kInvalidArgument))
        return ConnectorResult::failure(QStringLiteral("invalid_message"), false);
    // not_connected, timeouts, internal hiccups: the job queue retries with back-off.
    return ConnectorResult::failure(QStringLiteral("not_connected"), true);
}

} // namespace

WhatsAppConnector::WhatsAppConnector(desk::Inbox &inbox, QUuid tenantId, QUuid connectionId, bool ignoreGroups,
                                     QObject *parent)
    : desk::Connector(parent)
    , m_inbox(inbox)
    , m_tenantId(tenantId)
    , m_connectionId(connectionId)
    , m_ignoreGroups(ignoreGroups)
{}

void WhatsAppConnector::setMessenger(messenger::Messenger *messenger)
{
    m_messenger = messenger;
    m_presenceAsked.clear();
}

void WhatsAppConnector::sessionConnected()
{
    // Subscriptions do not survive a reconnect. (The Session itself announces us available after login.)
    m_presenceAsked.clear();
}

QString WhatsAppConnector::messageIdFor(const QUuid &messageId)
{
    const QByteArray hash = QCryptographicHash::hash(QByteArrayLiteral("atende.wa.message:") + messageId.toRfc4122(),
                                                     QCryptographicHash::Sha256);
    return QStringLiteral("3EB0") + QString::fromLatin1(hash.left(9).toHex().toUpper());
}

std::optional<whatsapp::Jid> WhatsAppConnector::recipientOf(const desk::ConnectorPeer &peer)
{
    // Identities seen on this connection come first (connectorPeer's order); a phone beats a LID among them.
    std::optional<whatsapp::Jid> lid;
    for (const desk::IdentityRecord &i : peer.identities) {
        if (i.kind == QLatin1String("wa_phone"))
            return whatsapp::Jid::make(i.value, QString(whatsapp::Jid::kUserServer));
        if (i.kind == QLatin1String("wa_lid") && !lid)
            lid = whatsapp::Jid::make(i.value, QString(whatsapp::Jid::kLidServer));
    }
    return lid;
}

std::optional<std::pair<QString, QString>> WhatsAppConnector::identityOf(const whatsapp::Jid &jid)
{
    if (jid.user.isEmpty())
        return std::nullopt;
    if (jid.server == whatsapp::Jid::kUserServer)
        return std::make_pair(QStringLiteral("wa_phone"), jid.user);
    if (jid.server == whatsapp::Jid::kLidServer)
        return std::make_pair(QStringLiteral("wa_lid"), jid.user);
    return std::nullopt;
}

QCoro::Task<ConnectorResult> WhatsAppConnector::send(desk::OutboundMessage message)
{
    std::optional<whatsapp::Jid> to = recipientOf(message.peer);
    if (!to)
        co_return ConnectorResult::failure(QStringLiteral("peer_no_whatsapp_identity"), false);
    QPointer<messenger::Messenger> m = m_messenger;
    if (!m)
        co_return ConnectorResult::failure(QStringLiteral("not_connected"), true);
    messenger::SendOptions options;
    options.id = messageIdFor(message.messageId);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_recentSends.removeIf([now](const auto &it) { return now - it.value() > 120000; });
    m_recentSends.insert(options.id, now);
    if (!message.quotedExternalId.isEmpty()) {
        whatsapp::OutgoingQuote quote;
        quote.stanzaId = message.quotedExternalId;
        // The quoted message's author: the peer when it was theirs; WhatsApp shows the quote either way.
        quote.participant = to->toString();
        options.quote = quote;
    }
    // The connector may be destroyed (its runner torn down) while the send waits: nothing of it after this.
    const QString connection = m_connectionId.toString(QUuid::WithoutBraces);
    auto sending = m->sendText(*to, message.body, options);
    atende::core::Result<QString> sent = co_await sending;
    if (!sent.ok()) {
        qCInfo(lcConnectors).noquote() << "send on" << connection << "failed:" << sent.error().code;
        co_return failureOf(sent.error());
    }
    co_return ConnectorResult::success(sent.value());
}

QCoro::Task<ConnectorResult> WhatsAppConnector::markRead(desk::ReadMark mark)
{
    if (!m_messenger)
        co_return ConnectorResult::failure(QStringLiteral("not_connected"), true);
    std::optional<whatsapp::Jid> peer = recipientOf(mark.peer);
    // Receipts go to the device that sent each message; ids from before a restart go to the peer's user JID.
    QHash<QString, QStringList> byDevice;
    QHash<QString, whatsapp::Jid> devices;
    for (const QString &id : mark.externalIds) {
        std::optional<whatsapp::Jid> sender;
        if (auto it = m_senderOf.constFind(id); it != m_senderOf.constEnd())
            sender = it.value();
        else if (peer)
            sender = peer;
        if (!sender)
            continue;
        devices.insert(sender->toString(), *sender);
        byDevice[sender->toString()].append(id);
    }
    for (auto it = byDevice.constBegin(); it != byDevice.constEnd(); ++it) {
        Status s = m_messenger->sendRead(devices.value(it.key()), it.value());
        if (!s.ok())
            co_return failureOf(s.error());
    }
    co_return ConnectorResult::success();
}

QCoro::Task<ConnectorResult> WhatsAppConnector::setTyping(desk::ConnectorPeer peer, bool typing)
{
    std::optional<whatsapp::Jid> to = recipientOf(peer);
    if (!to)
        co_return ConnectorResult::failure(QStringLiteral("peer_no_whatsapp_identity"), false);
    if (!m_messenger)
        co_return ConnectorResult::failure(QStringLiteral("not_connected"), true);
    Status s = m_messenger->sendChatState(*to, typing);
    co_return s.ok() ? ConnectorResult::success() : failureOf(s.error());
}

} // namespace atende::server::connectors
