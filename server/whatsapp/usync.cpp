#include "server/whatsapp/usync.h"

#include "server/whatsapp/iq.h"
#include "server/whatsapp/stanza_util.h"

namespace atende::server::whatsapp {

using namespace stanza;

core::Result<Node> buildUsyncDeviceQuery(const QList<Jid> &users, const QString &sid, bool withLid)
{
    if (users.isEmpty() || sid.isEmpty())
        return fail(errc::kStanzaInvalidInput, QStringLiteral("usync needs users and a sid"));
    std::vector<Node> list;
    for (const Jid &user : users) {
        if (user.user.isEmpty() || user.server.isEmpty())
            return fail(errc::kStanzaInvalidInput, QStringLiteral("user JID without user or server"));
        list.emplace_back(QStringLiteral("user"),
                          QList<Attribute>{{QStringLiteral("jid"), Jid::make(user.user, user.server)}});
    }
    std::vector<Node> query{Node(QStringLiteral("devices"), {{QStringLiteral("version"), QStringLiteral("2")}})};
    if (withLid)
        query.emplace_back(QStringLiteral("lid"));
    Node usync(QStringLiteral("usync"),
               {{QStringLiteral("sid"), sid},
                {QStringLiteral("mode"), QStringLiteral("query")},
                {QStringLiteral("context"), QStringLiteral("message")},
                {QStringLiteral("last"), QStringLiteral("true")},
                {QStringLiteral("index"), QStringLiteral("0")}},
               std::vector<Node>{Node(QStringLiteral("query"), {}, std::move(query)),
                                 Node(QStringLiteral("list"), {}, std::move(list))});
    return makeIq(QStringLiteral("get"), QStringLiteral("usync"), {std::move(usync)});
}

QList<Jid> UsyncUser::deviceJids() const
{
    QList<Jid> out;
    const bool lidUser = user.server == Jid::kLidServer;
    for (const UsyncDevice &d : devices) {
        const QString server = d.hosted ? QString(lidUser ? Jid::kHostedLidServer : Jid::kHostedServer) : user.server;
        out.append(Jid::make(user.user, server, d.id));
    }
    return out;
}

core::Result<std::vector<UsyncUser>> parseUsyncDevices(const Node &iq)
{
    if (iq.tag != u"iq")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected an iq"));
    if (iq.attributeString(u"type") == u"error")
        return fail(errc::kStanzaIqError, QStringLiteral("usync failed"));
    const Node *usync = iq.child(u"usync");
    const Node *list = usync ? usync->child(u"list") : nullptr;
    if (!list)
        return fail(errc::kStanzaBadChild, QStringLiteral("no <usync><list>"));
    std::vector<UsyncUser> out;
    if (!list->hasChildren())
        return out;
    for (const Node &entry : list->children()) {
        if (entry.tag != u"user")
            continue;
        const auto jid = entry.attributeJid(u"jid");
        if (!jid || jid->user.isEmpty())
            return fail(errc::kStanzaBadJid, QStringLiteral("usync user without a valid jid"));
        const Node *devices = entry.child(u"devices");
        if (entry.child(u"error") || (devices && devices->child(u"error")))
            continue;
        UsyncUser user;
        user.user = Jid::make(jid->user, jid->server);
        const Node *deviceList = devices ? devices->child(u"device-list") : nullptr;
        if (deviceList && deviceList->hasChildren()) {
            for (const Node &d : deviceList->children()) {
                if (d.tag != u"device")
                    continue;
                const auto id = decimal(d.attributeString(u"id"));
                const QString keyIndexText = d.attributeString(u"key-index");
                const auto keyIndex = keyIndexText.isEmpty() ? std::optional<qint64>(0) : decimal(keyIndexText);
                if (!id || *id > 255 || !keyIndex || *keyIndex > 0xFFFFFFFFLL)
                    return fail(errc::kStanzaBadChild, QStringLiteral("device id must be 0..255"));
                user.devices.push_back(
                    UsyncDevice{quint16(*id), quint32(*keyIndex), d.attributeString(u"is_hosted") == u"true"});
            }
        }
        if (const Node *lid = entry.child(u"lid")) {
            const auto val = lid->attributeJid(u"val");
            if (val)
                user.lid = *val;
        }
        out.push_back(std::move(user));
    }
    return out;
}

} // namespace atende::server::whatsapp
