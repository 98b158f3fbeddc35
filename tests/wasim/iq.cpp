// The iq namespaces clients use (PROTOCOL.md §6.2, §6.3, §7.2, §7.3, §11.5, §12.1 items 6-7): encrypt,
// passive, w:p, usync, md, empty privacy/blocklist/abt results; anything else gets 501.
#include "server/whatsapp/crypto.h"
#include "tests/wasim/connection.h"
#include "tests/wasim/iq_util.h"
#include "tests/wasim/simulator.h"
#include "tests/wasim/wasim_logging.h"

namespace atende::wasim {

using namespace server::whatsapp;

void Simulator::onIq(Connection &connection, const Node &iq)
{
    const QString type = iq.attributeString(u"type");
    const QString id = iq.attributeString(u"id");
    if (type == u"result" || type == u"error") {
        RegistrationState *reg = connection.registration();
        if (reg && id == reg->pairDeviceIqId)
            reg->pairDeviceAcked = type == u"result";
        else if (reg && !reg->pairSuccessIqId.isEmpty() && id == reg->pairSuccessIqId)
            onPairDeviceSign(connection, iq);
        return;
    }
    if (id.isEmpty() || (type != u"get" && type != u"set")) {
        connection.abort(QStringLiteral("iq without id or with type %1").arg(type.left(16)));
        return;
    }
    const QString xmlns = iq.attributeString(u"xmlns");
    if (xmlns == u"w:p") {
        connection.sendReply(iqResult(iq));
        return;
    }
    if (xmlns == u"md") {
        onMdIq(connection, iq);
        return;
    }
    if (connection.phase() != Connection::Phase::LoggedIn) {
        connection.sendReply(iqError(iq, 401, QStringLiteral("not-authorized")));
        return;
    }
    if (xmlns == u"encrypt") {
        onEncryptIq(connection, iq);
    } else if (xmlns == u"passive") {
        connection.sendReply(iqResult(iq));
    } else if (xmlns == u"usync") {
        onUsyncIq(connection, iq);
    } else if (xmlns == u"privacy") {
        connection.sendReply(iqResult(iq, {Node(QStringLiteral("privacy"))}));
    } else if (xmlns == u"blocklist") {
        connection.sendReply(iqResult(iq, {Node(QStringLiteral("list"))}));
    } else if (xmlns == u"abt") {
        connection.sendReply(
            iqResult(iq, {Node(QStringLiteral("props"), {{QStringLiteral("protocol"), QStringLiteral("1")}})}));
    } else {
        connection.sendReply(iqError(iq, 501, QStringLiteral("feature-not-implemented")));
    }
}

void Simulator::onUsyncIq(Connection &connection, const Node &iq)
{
    const Node *usync = iq.child(u"usync");
    const Node *query = usync ? usync->child(u"query") : nullptr;
    const Node *list = usync ? usync->child(u"list") : nullptr;
    if (!query || !list || !list->hasChildren()) {
        connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
        return;
    }
    std::vector<Node> users;
    for (const Node &entry : list->children()) {
        if (entry.tag != u"user")
            continue;
        QString phone;
        if (auto jid = entry.attributeJid(u"jid"))
            phone = jid->user;
        if (const Node *contact = entry.child(u"contact"); contact && phone.isEmpty())
            phone = QString::fromUtf8(contact->bytes()).remove(u'+').section(u'@', 0, 0);
        auto user = m_users.find(phone);
        std::vector<Node> parts;
        if (query->child(u"devices")) {
            std::vector<Node> deviceList;
            if (user != m_users.end()) {
                deviceList.emplace_back(QStringLiteral("device"),
                                        QList<Attribute>{{QStringLiteral("id"), QStringLiteral("0")}});
                for (const auto &[key, d] : m_devices)
                    if (d.phone == phone)
                        deviceList.emplace_back(
                            QStringLiteral("device"),
                            QList<Attribute>{{QStringLiteral("id"), QString::number(d.device)},
                                             {QStringLiteral("key-index"), QString::number(d.keyIndex)}});
            }
            parts.emplace_back(QStringLiteral("devices"), QList<Attribute>{},
                               std::vector<Node>{Node(QStringLiteral("device-list"), {}, std::move(deviceList))});
        }
        if (query->child(u"lid") && user != m_users.end())
            parts.emplace_back(
                QStringLiteral("lid"),
                QList<Attribute>{{QStringLiteral("val"), Jid::make(user->second.lid, QString(Jid::kLidServer))}});
        if (query->child(u"contact"))
            parts.emplace_back(
                QStringLiteral("contact"),
                QList<Attribute>{
                    {QStringLiteral("type"), user != m_users.end() ? QStringLiteral("in") : QStringLiteral("out")}});
        Node out(QStringLiteral("user"), {}, std::move(parts));
        if (!phone.isEmpty())
            out.setAttribute(QStringLiteral("jid"), Jid::make(phone, QString(Jid::kUserServer)));
        users.push_back(std::move(out));
    }
    Node reply(QStringLiteral("usync"), usync->attributes,
               std::vector<Node>{Node(QStringLiteral("list"), {}, std::move(users))});
    connection.sendReply(iqResult(iq, {std::move(reply)}));
}

void Simulator::onMdIq(Connection &connection, const Node &iq)
{
    if (iq.child(u"link_code_companion_reg")) {
        onLinkCode(connection, iq);
        return;
    }
    const Node *remove = iq.child(u"remove-companion-device");
    if (!remove || connection.phase() != Connection::Phase::LoggedIn) {
        connection.sendReply(iqError(iq, 400, QStringLiteral("bad-request")));
        return;
    }
    // A companion may only remove itself here; the phone removes others through the admin API.
    const auto named = remove->attributeJid(u"jid");
    const QString key = named ? named->user + u':' + QString::number(named->device) : QString();
    if (key != connection.deviceKey()) {
        connection.sendReply(iqError(iq, 403, QStringLiteral("forbidden")));
        return;
    }
    connection.send(iqResult(iq));
    (void)removeDevice(key);
}

} // namespace atende::wasim
