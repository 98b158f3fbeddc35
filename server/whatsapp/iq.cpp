#include "server/whatsapp/iq.h"

namespace atende::server::whatsapp {

Node makeIq(const QString &type, const QString &xmlns, std::vector<Node> children)
{
    Node iq(
        QStringLiteral("iq"),
        {{QStringLiteral("to"), Jid::serverJid()}, {QStringLiteral("type"), type}, {QStringLiteral("xmlns"), xmlns}});
    if (!children.empty())
        iq.content = std::move(children);
    return iq;
}

} // namespace atende::server::whatsapp
