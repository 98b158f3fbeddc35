// Message relay (PROTOCOL.md §7.6, §7.10, §8.1, §12.1 items 8, 10, 11): a <message> from a device is checked,
// acknowledged with the server's <ack class="message" t/>, and every addressed device gets the receiving
// form with its own <enc> children byte-exact. The simulator never decrypts anything. Copies for the
// sender's other devices carry `recipient`; copies for the phone (device 0, which has no connection) are
// dropped. Chat states and presence go to connected devices only. Groups are not simulated.
#include "tests/wasim/connection.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

#include <QCryptographicHash>

namespace atende::wasim {

using namespace server::whatsapp;

namespace {

constexpr qsizetype kMaxMessageId = 128;
constexpr qsizetype kRememberedMessages = 4096;
// §6.4: BL reads 479 as "invalid stanza"; the simulator uses it for every stanza it refuses.
const QString kInvalidStanza = QStringLiteral("479");

bool validEnc(const Node &enc)
{
    return enc.tag == u"enc" && !enc.attributeString(u"type").isEmpty() && enc.hasBytes() && !enc.bytes().isEmpty();
}

struct Target {
    QString phone;
    quint16 device = 0;
    std::vector<Node> encs;
};

} // namespace

SimUser *Simulator::userForJid(const Jid &jid)
{
    if (jid.server == Jid::kUserServer) {
        auto it = m_users.find(jid.user);
        return it == m_users.end() ? nullptr : &it->second;
    }
    if (jid.server == Jid::kLidServer)
        for (auto &[phone, user] : m_users)
            if (user.lid == jid.user)
                return &user;
    return nullptr;
}

QStringList Simulator::companionKeys(const QString &phone) const
{
    QStringList out;
    for (const auto &[key, d] : m_devices)
        if (d.phone == phone)
            out.append(key);
    return out;
}

void Simulator::rememberSender(const QString &messageId, const QString &deviceKey)
{
    if (!m_messageSenders.contains(messageId))
        m_messageOrder.append(messageId);
    m_messageSenders.insert(messageId, deviceKey);
    while (m_messageOrder.size() > kRememberedMessages)
        m_messageSenders.remove(m_messageOrder.takeFirst());
}

void Simulator::rejectMessage(Connection &connection, const Node &message, const QString &why)
{
    if (SimDevice *d = findDevice(connection.deviceKey()))
        ++d->counters.rejected;
    record(QStringLiteral("relay_rejected %1 %2").arg(connection.deviceKey(), why));
    Node ack(QStringLiteral("ack"), {{QStringLiteral("class"), QStringLiteral("message")},
                                     {QStringLiteral("id"), message.attributeString(u"id").left(kMaxMessageId)},
                                     {QStringLiteral("error"), kInvalidStanza}});
    if (auto to = message.attributeJid(u"to"))
        ack.setAttribute(QStringLiteral("from"), *to);
    connection.sendReply(ack);
}

void Simulator::onMessage(Connection &connection, const Node &message)
{
    SimDevice *sender = findDevice(connection.deviceKey());
    if (!sender)
        return;
    const QString id = message.attributeString(u"id");
    const QString type = message.attributeString(u"type");
    const auto to = message.attributeJid(u"to");
    if (id.isEmpty() || id.size() > kMaxMessageId)
        return rejectMessage(connection, message, QStringLiteral("bad_id"));
    if (!to)
        return rejectMessage(connection, message, QStringLiteral("no_to"));
    if (type.isEmpty())
        return rejectMessage(connection, message, QStringLiteral("no_type"));
    if (to->server == Jid::kGroupServer || to->server == Jid::kBroadcastServer)
        return rejectMessage(connection, message, QStringLiteral("groups_unsupported"));
    const SimUser *chat = userForJid(*to);
    if (!chat)
        return rejectMessage(connection, message, QStringLiteral("unknown_recipient"));

    // Collect every (device, encs) pair before delivering anything: a bad stanza delivers nothing.
    std::vector<Target> targets;
    if (const Node *participants = message.child(u"participants")) {
        if (!participants->hasChildren())
            return rejectMessage(connection, message, QStringLiteral("empty_participants"));
        for (const Node &entry : participants->children()) {
            const auto jid = entry.attributeJid(u"jid");
            const SimUser *owner = jid ? userForJid(*jid) : nullptr;
            if (entry.tag != u"to" || !owner || (owner != chat && owner->phone != sender->phone))
                return rejectMessage(connection, message, QStringLiteral("bad_participant"));
            Target t{owner->phone, jid->device, {}};
            for (const Node &enc : entry.children()) {
                if (!validEnc(enc))
                    return rejectMessage(connection, message, QStringLiteral("bad_enc"));
                t.encs.push_back(enc);
            }
            if (t.encs.empty())
                return rejectMessage(connection, message, QStringLiteral("no_enc"));
            targets.push_back(std::move(t));
        }
    } else {
        // One <enc> for one device: a peer message to the own phone (§7.10) or a retry resend to the device
        // that asked (§8.4, `to` names the device).
        Target t{chat->phone, to->device, {}};
        for (const Node &child : message.hasChildren() ? message.children() : std::vector<Node>{})
            if (child.tag == u"enc") {
                if (!validEnc(child))
                    return rejectMessage(connection, message, QStringLiteral("bad_enc"));
                t.encs.push_back(child);
            }
        if (t.encs.empty())
            return rejectMessage(connection, message, QStringLiteral("no_enc"));
        targets.push_back(std::move(t));
    }

    const qint64 t = now();
    const bool lidAddressed = to->server == Jid::kLidServer;
    const SimUser &senderUser = m_users.at(sender->phone);
    const Jid from = lidAddressed ? Jid::make(senderUser.lid, QString(Jid::kLidServer), sender->device)
                                  : Jid::make(sender->phone, QString(Jid::kUserServer), sender->device);
    const Jid chatJid = Jid::make(to->user, to->server);
    const Node *deviceIdentity = message.child(u"device-identity");
    const QString notify = sender->pushName.isEmpty() ? senderUser.pushName : sender->pushName;
    for (Target &target : targets) {
        const QString key = target.phone + u':' + QString::number(target.device);
        if (key == sender->key())
            continue;
        Node out(QStringLiteral("message"), {{QStringLiteral("from"), from},
                                             {QStringLiteral("id"), id},
                                             {QStringLiteral("t"), QString::number(t)},
                                             {QStringLiteral("type"), type}});
        if (target.phone == sender->phone && chat->phone != sender->phone)
            out.setAttribute(QStringLiteral("recipient"), chatJid);
        if (!notify.isEmpty())
            out.setAttribute(QStringLiteral("notify"), notify);
        for (const auto attr : {u"edit", u"category"})
            if (const auto *value = message.attribute(attr))
                out.setAttribute(QString::fromUtf16(attr), *value);
        const bool pkmsg = std::any_of(target.encs.begin(), target.encs.end(),
                                       [](const Node &e) { return e.attributeString(u"type") == u"pkmsg"; });
        if (pkmsg && deviceIdentity)
            target.encs.push_back(*deviceIdentity);
        out.content = std::move(target.encs);
        deliver(key, std::move(out));
    }
    ++sender->counters.sent;
    rememberSender(id, sender->key());
    connection.sendReply(Node(QStringLiteral("ack"), {{QStringLiteral("class"), QStringLiteral("message")},
                                                      {QStringLiteral("id"), id},
                                                      {QStringLiteral("from"), *to},
                                                      {QStringLiteral("t"), QString::number(t)}}));
}

void Simulator::onChatstate(Connection &connection, const Node &chatstate)
{
    SimDevice *sender = findDevice(connection.deviceKey());
    const auto to = chatstate.attributeJid(u"to");
    const SimUser *peer = to ? userForJid(*to) : nullptr;
    const Node *state =
        chatstate.hasChildren() && !chatstate.children().empty() ? &chatstate.children().front() : nullptr;
    if (!sender || !peer || !state || (state->tag != u"composing" && state->tag != u"paused"))
        return; // chat states are never acked; a malformed one is simply not relayed
    Node out(QStringLiteral("chatstate"),
             {{QStringLiteral("from"), Jid::make(sender->phone, QString(Jid::kUserServer))}},
             std::vector<Node>{Node(state->tag, state->attributes)});
    deliverEphemeral(peer->phone, out, connection.deviceKey());
}

void Simulator::onPresence(Connection &connection, const Node &presence)
{
    SimDevice *d = findDevice(connection.deviceKey());
    if (!d)
        return;
    const QString name = presence.attributeString(u"name");
    if (!name.isEmpty() && name != d->pushName) {
        d->pushName = name.left(100);
        markDirty();
    }
    const QString type = presence.attributeString(u"type");
    if (type == u"available" || type == u"unavailable") {
        d->available = type == u"available";
        for (const auto &[subscriber, phones] : m_subscriptions)
            if (phones.count(d->phone))
                sendPresenceOf(d->phone, subscriber);
    } else if (type == u"subscribe" || type == u"unsubscribe") {
        const auto to = presence.attributeJid(u"to");
        const SimUser *peer = to ? userForJid(*to) : nullptr;
        if (!peer)
            return;
        if (type == u"unsubscribe") {
            m_subscriptions[d->key()].erase(peer->phone);
            return;
        }
        m_subscriptions[d->key()].insert(peer->phone);
        sendPresenceOf(peer->phone, d->key());
    }
}

void Simulator::sendPresenceOf(const QString &phone, const QString &subscriberKey)
{
    // A user is available while any of its devices is (the phone never is: it has no connection here).
    bool available = false;
    for (const QString &key : companionKeys(phone))
        available = available || (m_devices.at(key).available && isConnected(key));
    Node out(QStringLiteral("presence"), {{QStringLiteral("from"), Jid::make(phone, QString(Jid::kUserServer))}});
    if (!available) {
        out.setAttribute(QStringLiteral("type"), QStringLiteral("unavailable"));
        out.setAttribute(QStringLiteral("last"), QString::number(now()));
    }
    const SimDevice *subscriber = findDevice(subscriberKey);
    if (!subscriber || subscriber->holdDelivery)
        return;
    for (Connection *c : connectionsOf(subscriberKey))
        c->send(out);
}

void Simulator::notifyDevicesChanged(const QString &phone, const QString &deviceKey, bool added)
{
    // §6.6: the account's other devices learn of a link or unlink; device_hash may be any string (§12.2).
    const quint16 device = quint16(deviceKey.section(u':', 1).toUInt());
    QCryptographicHash hash(QCryptographicHash::Sha256);
    for (const QString &key : companionKeys(phone))
        hash.addData(key.toUtf8());
    const QString deviceHash =
        QStringLiteral("2:") + QString::fromLatin1(hash.result().left(6).toBase64(QByteArray::OmitTrailingEquals));
    const Node notification(
        QStringLiteral("notification"),
        {{QStringLiteral("from"), Jid::make(phone, QString(Jid::kUserServer))},
         {QStringLiteral("id"), nextId()},
         {QStringLiteral("t"), QString::number(now())},
         {QStringLiteral("type"), QStringLiteral("devices")}},
        std::vector<Node>{Node(
            added ? QStringLiteral("add") : QStringLiteral("remove"), {{QStringLiteral("device_hash"), deviceHash}},
            std::vector<Node>{Node(QStringLiteral("device"),
                                   {{QStringLiteral("jid"), Jid::make(phone, QString(Jid::kUserServer), device)}})})});
    for (const QString &key : companionKeys(phone))
        if (key != deviceKey)
            deliver(key, notification);
}

} // namespace atende::wasim
