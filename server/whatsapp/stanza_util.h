#pragma once
// Small helpers shared by the stanza builders and parsers (message_stanza, receipt_stanza, usync,
// key_bundle, presence_stanza). Internal to server/whatsapp.

#include "common/core/result.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/node.h"

#include <QByteArray>

#include <optional>

namespace atende::server::whatsapp::stanza {

inline Node bytesNode(const char *tag, QByteArray bytes)
{
    return Node(QString::fromLatin1(tag), {}, std::move(bytes));
}

inline QByteArray bigEndian(quint32 value, int size)
{
    QByteArray out(size, '\0');
    for (int i = size - 1; i >= 0; --i, value >>= 8)
        out[i] = char(value & 0xFF);
    return out;
}

// The bytes as a big-endian number when there are exactly `size` of them.
inline std::optional<quint32> fromBigEndian(const QByteArray &bytes, int size)
{
    if (bytes.size() != size)
        return std::nullopt;
    quint32 v = 0;
    for (char c : bytes)
        v = (v << 8) | quint8(c);
    return v;
}

// A decimal attribute value (no sign, at most 18 digits); nullopt when absent or not a number.
inline std::optional<qint64> decimal(const QString &text)
{
    if (text.isEmpty() || text.size() > 18)
        return std::nullopt;
    for (QChar c : text)
        if (c < u'0' || c > u'9')
            return std::nullopt;
    return text.toLongLong();
}

inline core::Error fail(const char *code, const QString &what)
{
    return core::Error::make(code, what);
}

inline Node childrenNode(const QString &tag, QList<Attribute> attributes, std::vector<Node> children)
{
    Node n(tag, std::move(attributes));
    if (!children.empty())
        n.content = std::move(children);
    return n;
}

} // namespace atende::server::whatsapp::stanza
