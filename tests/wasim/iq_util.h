#pragma once
// Building server replies: iq results and errors (PROTOCOL.md §6.2) and the big-endian integers of the
// key-bundle nodes (§6.3).

#include "server/whatsapp/node.h"

#include <QByteArray>

#include <vector>

namespace atende::wasim {

// <iq from=S id=<request id> type="result">children</iq>
inline server::whatsapp::Node iqResult(const server::whatsapp::Node &request,
                                       std::vector<server::whatsapp::Node> children = {})
{
    using server::whatsapp::Jid;
    server::whatsapp::Node reply(QStringLiteral("iq"), {{QStringLiteral("from"), Jid::serverJid()},
                                                        {QStringLiteral("id"), request.attributeString(u"id")},
                                                        {QStringLiteral("type"), QStringLiteral("result")}});
    if (!children.empty())
        reply.content = std::move(children);
    return reply;
}

// <iq from=S id type="error"><error code text/></iq>
inline server::whatsapp::Node iqError(const server::whatsapp::Node &request, int code, const QString &text)
{
    auto reply = iqResult(
        request, {server::whatsapp::Node(QStringLiteral("error"), {{QStringLiteral("code"), QString::number(code)},
                                                                   {QStringLiteral("text"), text}})});
    reply.setAttribute(QStringLiteral("type"), QStringLiteral("error"));
    return reply;
}

inline QByteArray bigEndianBytes(quint32 value, int size)
{
    QByteArray out(size, '\0');
    for (int i = size - 1; i >= 0; --i, value >>= 8)
        out[i] = char(value & 0xFF);
    return out;
}

inline quint32 fromBigEndian(const QByteArray &bytes)
{
    quint32 v = 0;
    for (char c : bytes)
        v = (v << 8) | quint8(c);
    return v;
}

inline server::whatsapp::Node bytesNode(const char *tag, QByteArray bytes)
{
    return server::whatsapp::Node(QString::fromLatin1(tag), {}, std::move(bytes));
}

} // namespace atende::wasim
