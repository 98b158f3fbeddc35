#include "server/whatsapp/presence_stanza.h"

#include "server/whatsapp/stanza_util.h"

namespace atende::server::whatsapp {

using namespace stanza;

Node buildChatState(const Jid &to, ChatState state)
{
    Node child(state == ChatState::Paused ? QStringLiteral("paused") : QStringLiteral("composing"));
    if (state == ChatState::Recording)
        child.setAttribute(QStringLiteral("media"), QStringLiteral("audio"));
    return Node(QStringLiteral("chatstate"), {{QStringLiteral("to"), to}}, std::vector<Node>{std::move(child)});
}

core::Result<IncomingChatState> parseChatState(const Node &node)
{
    if (node.tag != u"chatstate")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected a chatstate"));
    const auto from = node.attributeJid(u"from");
    if (!from || from->server.isEmpty())
        return fail(errc::kStanzaBadJid, QStringLiteral("chatstate without a valid from"));
    IncomingChatState c;
    c.from = *from;
    if (node.attribute(u"participant")) {
        const auto participant = node.attributeJid(u"participant");
        if (!participant)
            return fail(errc::kStanzaBadJid, QStringLiteral("chatstate participant is not a JID"));
        c.participant = *participant;
    }
    const Node *state = node.hasChildren() && !node.children().empty() ? &node.children().front() : nullptr;
    if (!state || (state->tag != u"composing" && state->tag != u"paused"))
        return fail(errc::kStanzaBadChild, QStringLiteral("chatstate needs <composing/> or <paused/>"));
    c.state = state->tag == u"paused"                        ? ChatState::Paused
              : state->attributeString(u"media") == u"audio" ? ChatState::Recording
                                                             : ChatState::Composing;
    return c;
}

Node buildPresence(bool available, const QString &pushName)
{
    Node n(QStringLiteral("presence"),
           {{QStringLiteral("type"), available ? QStringLiteral("available") : QStringLiteral("unavailable")}});
    if (!pushName.isEmpty())
        n.setAttribute(QStringLiteral("name"), pushName);
    return n;
}

Node buildPresenceSubscribe(const Jid &to, const QByteArray &privacyToken)
{
    Node n(QStringLiteral("presence"),
           {{QStringLiteral("type"), QStringLiteral("subscribe")}, {QStringLiteral("to"), to}});
    if (!privacyToken.isEmpty())
        n.content = std::vector<Node>{bytesNode("tctoken", privacyToken)};
    return n;
}

core::Result<IncomingPresence> parsePresence(const Node &node)
{
    if (node.tag != u"presence")
        return fail(errc::kStanzaWrongTag, QStringLiteral("expected a presence"));
    const auto from = node.attributeJid(u"from");
    if (!from || from->server.isEmpty())
        return fail(errc::kStanzaBadJid, QStringLiteral("presence without a valid from"));
    IncomingPresence p;
    p.from = *from;
    const QString type = node.attributeString(u"type");
    if (!type.isEmpty() && type != u"available" && type != u"unavailable")
        return fail(errc::kStanzaBadChild, QStringLiteral("presence type must be available or unavailable"));
    p.available = type != u"unavailable";
    const QString last = node.attributeString(u"last");
    if (last == u"deny") {
        p.lastSeenHidden = true;
    } else if (!last.isEmpty()) {
        const auto t = decimal(last);
        if (!t)
            return fail(errc::kStanzaBadNumber, QStringLiteral("presence last must be a unix time or deny"));
        p.lastSeen = *t;
    }
    return p;
}

} // namespace atende::server::whatsapp
