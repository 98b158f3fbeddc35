#include "server/whatsapp/message_stanza.h"

#include "server/whatsapp/stanza_util.h"

namespace atende::server::whatsapp {

using namespace stanza;

namespace {

constexpr qsizetype kMaxId = 128;

bool isGroupOrBroadcast(const Jid &jid)
{
    return jid.server == Jid::kGroupServer || jid.server == Jid::kBroadcastServer;
}

Node encNode(const OutgoingEnc &enc, bool hide, int retryCount)
{
    Node n(QStringLiteral("enc"), {{QStringLiteral("v"), QStringLiteral("2")}, {QStringLiteral("type"), enc.type}},
           enc.ciphertext);
    if (!enc.mediaType.isEmpty())
        n.setAttribute(QStringLiteral("mediatype"), enc.mediaType);
    if (hide)
        n.setAttribute(QStringLiteral("decrypt-fail"), QStringLiteral("hide"));
    if (retryCount > 0)
        n.setAttribute(QStringLiteral("count"), QString::number(retryCount));
    return n;
}

} // namespace

core::Result<Node> buildMessageStanza(const OutgoingMessage &m)
{
    auto bad = [](const QString &why) {
        return fail(errc::kStanzaInvalidInput, why);
    };
    if (m.id.isEmpty() || m.id.size() > kMaxId)
        return bad(QStringLiteral("message id must be 1..128 characters"));
    if (m.to.user.isEmpty() || m.to.server.isEmpty())
        return bad(QStringLiteral("message needs a recipient"));
    if (m.type.isEmpty())
        return bad(QStringLiteral("message needs a type"));
    if (m.encs.empty())
        return bad(QStringLiteral("message without encs"));
    bool anyPkmsg = false;
    for (const OutgoingEnc &enc : m.encs) {
        if (enc.type != u"pkmsg" && enc.type != u"msg")
            return bad(QStringLiteral("enc type must be pkmsg or msg"));
        if (enc.ciphertext.isEmpty())
            return bad(QStringLiteral("empty ciphertext"));
        anyPkmsg = anyPkmsg || enc.type == u"pkmsg";
    }
    if (anyPkmsg && m.deviceIdentity.isEmpty())
        return bad(QStringLiteral("a pkmsg needs the device identity"));
    const bool single = m.category == u"peer" || m.retryCount > 0;
    if (single && m.encs.size() != 1)
        return bad(QStringLiteral("peer and retry messages carry exactly one enc"));

    Node message(QStringLiteral("message"),
                 {{QStringLiteral("id"), m.id}, {QStringLiteral("to"), m.to}, {QStringLiteral("type"), m.type}});
    if (!m.edit.isEmpty())
        message.setAttribute(QStringLiteral("edit"), m.edit);
    if (!m.category.isEmpty())
        message.setAttribute(QStringLiteral("category"), m.category);
    std::vector<Node> children;
    if (m.retryCount > 0) {
        message.setAttribute(QStringLiteral("t"), QString::number(m.originalTimestamp));
        message.setAttribute(QStringLiteral("device_fanout"), QStringLiteral("false"));
        children.push_back(encNode(m.encs.front(), m.hideDecryptFail, m.retryCount));
    } else if (single) {
        children.push_back(encNode(m.encs.front(), m.hideDecryptFail, 0));
    } else {
        std::vector<Node> participants;
        for (const OutgoingEnc &enc : m.encs) {
            if (enc.device.user.isEmpty() || enc.device.server.isEmpty())
                return bad(QStringLiteral("enc without a device JID"));
            participants.emplace_back(QStringLiteral("to"), QList<Attribute>{{QStringLiteral("jid"), enc.device}},
                                      std::vector<Node>{encNode(enc, m.hideDecryptFail, 0)});
        }
        children.emplace_back(QStringLiteral("participants"), QList<Attribute>{}, std::move(participants));
    }
    if (anyPkmsg)
        children.push_back(bytesNode("device-identity", m.deviceIdentity));
    message.content = std::move(children);
    return message;
}

core::Result<IncomingMessage> parseMessageStanza(const Node &node, const Jid &ownPn, const Jid &ownLid)
{
    if (node.tag != u"message")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected a message"));
    IncomingMessage m;
    m.id = node.attributeString(u"id");
    if (m.id.isEmpty() || m.id.size() > kMaxId)
        return fail(errc::kStanzaMissingAttribute, QStringLiteral("message without a valid id"));
    const auto from = node.attributeJid(u"from");
    if (!from || from->server.isEmpty())
        return fail(errc::kStanzaBadJid, QStringLiteral("message without a valid from"));
    m.from = *from;
    const auto t = decimal(node.attributeString(u"t"));
    if (!t)
        return fail(errc::kStanzaBadNumber, QStringLiteral("message t must be a unix time"));
    m.timestamp = *t;
    m.type = node.attributeString(u"type");
    m.notify = node.attributeString(u"notify");
    if (m.notify == u"-")
        m.notify.clear();
    m.category = node.attributeString(u"category");
    m.edit = node.attributeString(u"edit");
    m.offline = node.attribute(u"offline") != nullptr;
    for (const auto &[key, target] :
         {std::pair{u"participant", &m.participant}, std::pair{u"recipient", &m.recipient}}) {
        if (!node.attribute(key))
            continue;
        const auto jid = node.attributeJid(key);
        if (!jid)
            return fail(errc::kStanzaBadJid, QStringLiteral("message %1 is not a JID").arg(QString::fromUtf16(key)));
        *target = *jid;
    }

    // §8.1 source rules
    if (isGroupOrBroadcast(m.from)) {
        if (!m.participant)
            return fail(errc::kStanzaMissingAttribute, QStringLiteral("group message without participant"));
        m.isGroup = true;
        m.chat = m.from;
        m.sender = *m.participant;
    } else {
        const bool own = (!ownPn.user.isEmpty() && m.from.user == ownPn.user && m.from.server == ownPn.server) ||
                         (!ownLid.user.isEmpty() && m.from.user == ownLid.user && m.from.server == ownLid.server);
        m.fromOwnDevice = own;
        m.sender = m.from;
        m.chat = own && m.recipient ? Jid::make(m.recipient->user, m.recipient->server)
                                    : Jid::make(m.from.user, m.from.server);
    }

    for (const Node &child : node.hasChildren() ? node.children() : std::vector<Node>{}) {
        if (child.tag == u"enc") {
            IncomingEnc enc;
            enc.type = child.attributeString(u"type");
            if (enc.type.isEmpty() || !child.hasBytes() || child.bytes().isEmpty())
                return fail(errc::kStanzaBadEnc, QStringLiteral("enc without type or ciphertext"));
            enc.ciphertext = child.bytes();
            const QString v = child.attributeString(u"v");
            const auto version = v.isEmpty() ? std::optional<qint64>(2) : decimal(v);
            const QString countText = child.attributeString(u"count");
            const auto count = countText.isEmpty() ? std::optional<qint64>(0) : decimal(countText);
            if (!version || *version > 255 || !count || *count > 1000)
                return fail(errc::kStanzaBadEnc, QStringLiteral("enc v or count is not a small number"));
            enc.version = int(*version);
            enc.retryCount = int(*count);
            enc.mediaType = child.attributeString(u"mediatype");
            enc.hideDecryptFail = child.attributeString(u"decrypt-fail") == u"hide";
            m.encs.push_back(std::move(enc));
        } else if (child.tag == u"device-identity") {
            m.deviceIdentity = child.bytes();
        } else if (child.tag == u"unavailable") {
            m.unavailableType = child.attributeString(u"type");
            if (m.unavailableType.isEmpty())
                m.unavailableType = QStringLiteral("unknown");
        }
    }
    if (m.encs.empty() && m.unavailableType.isEmpty())
        return fail(errc::kStanzaNoEnc, QStringLiteral("message without enc"));
    return m;
}

int nackCodeFor(const core::Error &parseError)
{
    return parseError.code == QLatin1String(errc::kStanzaNoEnc) ? 488 : 487;
}

} // namespace atende::server::whatsapp
