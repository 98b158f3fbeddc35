// WhatsAppConnector: WhatsApp → desk (messages, receipts, chat states, presence, identity changes).

#include "server/connectors/logging.h"
#include "server/connectors/whatsapp_connector.h"
#include "server/desk/inbox.h"

#include <QRegularExpression>
#include <qcoro/qcorotimer.h>

namespace atende::server::connectors {

using atende::core::Error;
using atende::core::Result;
using atende::core::Status;
using Kind = whatsapp::MessageContent::Kind;
namespace errc = atende::core::errc;

namespace {

constexpr int kSendersKept = 2048;

QString mediaKindOf(const whatsapp::MessageContent &c)
{
    switch (c.kind) {
    case Kind::Image: return QStringLiteral("image");
    case Kind::Video: return QStringLiteral("video");
    case Kind::Audio: return c.media && c.media->voiceNote ? QStringLiteral("voice") : QStringLiteral("audio");
    case Kind::Document: return QStringLiteral("document");
    case Kind::Sticker: return QStringLiteral("sticker");
    case Kind::Location: return QStringLiteral("location");
    case Kind::Contact: return QStringLiteral("contact");
    default: return {};
    }
}

// Body, quote and media of the desk message; false when the content is protocol plumbing with nothing to show.
bool describe(const whatsapp::MessageContent &c, desk::InboundMessage &m)
{
    if (c.quote)
        m.quotedExternalId = c.quote->stanzaId;
    m.media.kind = mediaKindOf(c);
    if (c.media) {
        m.body = c.media->caption;
        m.media.mime = c.media->mimetype.left(255);
        m.media.fileName = c.media->fileName.left(255);
        m.media.size = qint64(c.media->fileLength);
        m.media.sha256 = QString::fromLatin1(c.media->fileSha256.toHex());
        m.media.durationS = int(c.media->seconds);
        m.media.width = int(c.media->width);
        m.media.height = int(c.media->height);
    }
    switch (c.kind) {
    case Kind::Text: m.body = c.text; return true;
    case Kind::Image:
    case Kind::Video:
    case Kind::Audio:
    case Kind::Document:
    case Kind::Sticker: return true;
    case Kind::Location:
        if (c.location)
            m.body =
                QStringList{
                    c.location->name, c.location->address,
                    QStringLiteral("%1,%2").arg(c.location->latitude, 0, 'f', 6).arg(c.location->longitude, 0, 'f', 6)}
                    .filter(QRegularExpression(QStringLiteral("\\S")))
                    .join(QLatin1Char('\n'));
        return true;
    case Kind::Contact:
        if (c.contact)
            m.body = c.contact->displayName + QLatin1Char('\n') + c.contact->vcard;
        return true;
    case Kind::Reaction:
        m.quotedExternalId = c.target ? c.target->id : QString();
        m.body = c.reaction.isEmpty() ? WhatsAppConnector::tr("removed a reaction")
                                      : WhatsAppConnector::tr("reacted %1").arg(c.reaction);
        return true;
    case Kind::Edit:
        m.quotedExternalId = c.target ? c.target->id : QString();
        m.body = WhatsAppConnector::tr("edited a message: %1").arg(c.text);
        return true;
    case Kind::Revoke:
        m.quotedExternalId = c.target ? c.target->id : QString();
        m.body = WhatsAppConnector::tr("deleted a message");
        return true;
    case Kind::Unknown:
        m.body = WhatsAppConnector::tr("This message type is not supported yet (open it on the phone).");
        return true;
    case Kind::Protocol:
    case Kind::SenderKeyDistributionOnly: return false;
    }
    return false;
}

} // namespace

void WhatsAppConnector::rememberSender(const QString &messageId, const whatsapp::Jid &device)
{
    if (!m_senderOf.contains(messageId))
        m_senderOrder.append(messageId);
    m_senderOf.insert(messageId, device);
    while (m_senderOrder.size() > kSendersKept)
        m_senderOf.remove(m_senderOrder.takeFirst());
}

std::optional<desk::InboundMessage> WhatsAppConnector::inboundOf(const messenger::ReceivedMessage &r, bool ignoreGroups)
{
    // Our phone's copies of what it sent: the desk cannot add an outbound message it did not send (yet).
    if (r.fromOwnDevice)
        return std::nullopt;
    const bool group = r.chat.server == whatsapp::Jid::kGroupServer;
    if (group && ignoreGroups)
        return std::nullopt;
    desk::InboundMessage m;
    // The phone is the primary identity when known, the LID rides along (and vice versa).
    const whatsapp::Jid senderUser = whatsapp::Jid::make(r.sender.user, r.sender.server);
    std::optional<std::pair<QString, QString>> pn = r.senderPn ? identityOf(*r.senderPn) : std::nullopt;
    std::optional<std::pair<QString, QString>> lid = r.senderLid ? identityOf(*r.senderLid) : std::nullopt;
    std::optional<std::pair<QString, QString>> own = identityOf(senderUser);
    if (!pn && own && own->first == QLatin1String("wa_phone"))
        pn = own;
    if (!lid && own && own->first == QLatin1String("wa_lid"))
        lid = own;
    if (pn) {
        m.senderKind = pn->first;
        m.senderValue = pn->second;
        if (lid) {
            m.alsoKind = lid->first;
            m.alsoValue = lid->second;
        }
    } else if (lid) {
        m.senderKind = lid->first;
        m.senderValue = lid->second;
    } else {
        return std::nullopt;
    }
    m.externalId = r.id;
    m.displayName = r.pushName;
    m.timestamp = r.timestamp;
    if (!describe(r.content, m))
        return std::nullopt;
    if (group)
        m.body = QStringLiteral("[%1] ").arg(r.chat.toString()) + m.body;
    return m;
}

QCoro::Task<Status> WhatsAppConnector::onMessage(messenger::ReceivedMessage message)
{
    std::optional<desk::InboundMessage> in = inboundOf(message, m_ignoreGroups);
    if (!in) {
        qCDebug(lcConnectors).noquote() << "message" << message.id << "has nothing for the desk (kind"
                                        << int(message.content.kind) << "own device" << message.fromOwnDevice << ")";
        co_return Status();
    }
    in->tenantId = m_tenantId;
    in->connectionId = m_connectionId;
    rememberSender(message.id, message.sender);
    QPointer<WhatsAppConnector> self(this);
    auto ingesting = m_inbox.ingest(*in);
    Result<desk::IngestResult> r = co_await ingesting;
    if (!self)
        co_return Error::make(errc::kShuttingDown, QStringLiteral("the connector is gone"));
    if (r.ok()) {
        // Follow the customer's presence (online / last seen) for the console, once per session.
        const QString user = message.sender.user + QLatin1Char('@') + message.sender.server;
        if (m_messenger && !r->duplicate && !m_presenceAsked.contains(user) &&
            message.chat.server != whatsapp::Jid::kGroupServer) {
            m_presenceAsked.insert(user);
            (void)m_messenger->subscribePresence(whatsapp::Jid::make(message.sender.user, message.sender.server));
        }
        co_return Status();
    }
    if (r.error().code == QLatin1String(errc::kInvalidArgument)) {
        // Retrying cannot make it valid, and the stanzas behind it would wait forever.
        qCWarning(lcConnectors).noquote() << "inbound message on" << m_connectionId.toString(QUuid::WithoutBraces)
                                          << "rejected by the desk:" << r.error().message;
        co_return Status();
    }
    co_return r.error();
}

QCoro::Task<Result<bool>> WhatsAppConnector::isCommitted(QString id, whatsapp::Jid sender)
{
    Q_UNUSED(sender); // external ids are unique per connection
    QPointer<WhatsAppConnector> self(this);
    auto asking = m_inbox.isStored(m_tenantId, m_connectionId, id);
    Result<bool> r = co_await asking;
    if (!self)
        co_return Error::make(errc::kShuttingDown, QStringLiteral("the connector is gone"));
    co_return r;
}

QCoro::Task<Status> WhatsAppConnector::onReceipt(messenger::ReceivedReceipt receipt)
{
    QString status;
    if (receipt.type.isEmpty() || receipt.type == QLatin1String("delivered"))
        status = QStringLiteral("delivered");
    else if (receipt.type == QLatin1String("read") || receipt.type == QLatin1String("played"))
        status = QStringLiteral("read");
    else
        co_return Status(); // read-self, sender, inactive, …: nothing for the desk
    QPointer<WhatsAppConnector> self(this);
    for (const QString &id : receipt.ids) {
        auto applying = m_inbox.receipt(desk::Receipt{m_tenantId, m_connectionId, id, status, QString()});
        Result<bool> r = co_await applying;
        if (!self)
            co_return Error::make(errc::kShuttingDown, QStringLiteral("the connector is gone"));
        // Our own send whose external id the desk has not recorded yet: wait for it (≤ ~3 s in all).
        for (int wait = 10;
             !r.ok() && r.error().code == QLatin1String(errc::kNotFound) && m_recentSends.contains(id) && wait <= 1280;
             wait *= 2) {
            co_await QCoro::sleepFor(std::chrono::milliseconds(wait));
            if (!self)
                co_return Error::make(errc::kShuttingDown, QStringLiteral("the connector is gone"));
            auto again = m_inbox.receipt(desk::Receipt{m_tenantId, m_connectionId, id, status, QString()});
            r = co_await again;
            if (!self)
                co_return Error::make(errc::kShuttingDown, QStringLiteral("the connector is gone"));
        }
        // not_found: a message the desk did not send (from the phone itself); invalid: a malformed id.
        if (!r.ok() && r.error().code != QLatin1String(errc::kNotFound) &&
            r.error().code != QLatin1String(errc::kInvalidArgument))
            co_return r.error();
    }
    co_return Status();
}

void WhatsAppConnector::onChatState(const messenger::ChatStateEvent &event)
{
    std::optional<std::pair<QString, QString>> who = identityOf(event.from);
    if (!who)
        return;
    // Ephemeral: fire and forget (the inbox outlives the connector; a failure only loses a typing hint).
    [](QPointer<desk::Inbox> inbox, QUuid tenant, QUuid connection, QString kind, QString value,
       bool composing) -> QCoro::Task<> {
        if (!inbox)
            co_return;
        auto t = inbox->typing(tenant, connection, kind, value, composing);
        (void)co_await t;
    }(&m_inbox, m_tenantId, m_connectionId, who->first, who->second, event.composing);
}

void WhatsAppConnector::onPresence(const messenger::PresenceEvent &event)
{
    std::optional<std::pair<QString, QString>> who = identityOf(event.from);
    if (!who)
        return;
    [](QPointer<desk::Inbox> inbox, QUuid tenant, QUuid connection, QString kind, QString value, QString presence,
       QDateTime lastSeen) -> QCoro::Task<> {
        if (!inbox)
            co_return;
        auto t = inbox->presence(tenant, connection, kind, value, presence, lastSeen);
        (void)co_await t;
    }(&m_inbox, m_tenantId, m_connectionId, who->first, who->second,
                           event.available ? QStringLiteral("available") : QStringLiteral("unavailable"),
                           event.lastSeen);
}

void WhatsAppConnector::identityChanged(const whatsapp::Jid &user)
{
    std::optional<std::pair<QString, QString>> who = identityOf(whatsapp::Jid::make(user.user, user.server));
    if (!who)
        return;
    [](QPointer<desk::Inbox> inbox, QUuid tenant, QUuid connection, QString kind, QString value,
       QString text) -> QCoro::Task<> {
        if (!inbox)
            co_return;
        auto t = inbox->systemMessage(tenant, connection, kind, value, text);
        (void)co_await t;
    }(&m_inbox, m_tenantId, m_connectionId, who->first, who->second,
                     tr("The contact's security code changed (they reinstalled WhatsApp or changed phones)."));
}

} // namespace atende::server::connectors
