#include "server/whatsapp/binary_encoder.h"

#include "server/whatsapp/binary_tags.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/token_dictionary.h"
#include "server/whatsapp/zlib_codec.h"

#include <string_view>

namespace atende::server::whatsapp {

using core::Error;
using core::Result;
using core::Status;

namespace {

bool isNibble(const QByteArray &s)
{
    if (s.isEmpty() || s.size() > tags::kPackedMax)
        return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || c == '-' || c == '.'))
            return false;
    }
    return true;
}

// Uppercase only: lowercase hex would come back uppercase, so it must travel as raw bytes (§4.4).
bool isHex(const QByteArray &s)
{
    if (s.isEmpty() || s.size() > tags::kPackedMax)
        return false;
    for (char c : s) {
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F')))
            return false;
    }
    return true;
}

quint8 packNibble(char c)
{
    if (c == '-')
        return 10;
    if (c == '.')
        return 11;
    return quint8(c - '0');
}

quint8 packHex(char c)
{
    return c <= '9' ? quint8(c - '0') : quint8(10 + c - 'A');
}

bool isEmptyValue(const AttributeValue &v)
{
    const auto *s = std::get_if<QString>(&v);
    return s && s->isEmpty();
}

Error notEncodable(QString why)
{
    return Error::make(errc::kNodeNotEncodable, std::move(why));
}

} // namespace

Result<QByteArray> BinaryEncoder::encodeNode(const Node &node)
{
    BinaryEncoder encoder;
    if (Status s = encoder.writeNode(node); !s)
        return s.error();
    return std::move(encoder.m_out);
}

Result<QByteArray> BinaryEncoder::encodeFrame(const Node &node)
{
    BinaryEncoder encoder;
    encoder.m_out.append(char(0x00));
    if (Status s = encoder.writeNode(node); !s)
        return s.error();
    return std::move(encoder.m_out);
}

Result<QByteArray> BinaryEncoder::encodeCompressedFrame(const Node &node)
{
    auto body = encodeNode(node);
    if (!body)
        return body.error();
    auto compressed = zlibCompress(*body);
    if (!compressed)
        return compressed.error();
    return QByteArray(1, char(tags::kFlagCompressed)) + *compressed;
}

Status BinaryEncoder::writeNode(const Node &node)
{
    if (node.tag.isEmpty())
        return notEncodable(QStringLiteral("node without tag"));
    qsizetype attributeCount = 0;
    for (const Attribute &a : node.attributes) {
        if (!isEmptyValue(a.value))
            ++attributeCount;
    }
    const bool hasContent = !std::holds_alternative<std::monostate>(node.content);
    if (Status s = writeListStart(1 + 2 * attributeCount + (hasContent ? 1 : 0)); !s)
        return s;
    writeString(node.tag);
    for (const Attribute &a : node.attributes) {
        if (isEmptyValue(a.value))
            continue;
        writeString(a.key);
        if (const auto *jid = std::get_if<Jid>(&a.value)) {
            if (Status s = writeJid(*jid); !s)
                return s;
        } else {
            writeString(std::get<QString>(a.value));
        }
    }
    if (const auto *bytes = std::get_if<QByteArray>(&node.content)) {
        writeBytes(*bytes);
    } else if (const auto *children = std::get_if<std::vector<Node>>(&node.content)) {
        if (Status s = writeListStart(qsizetype(children->size())); !s)
            return s;
        for (const Node &child : *children) {
            if (Status s = writeNode(child); !s)
                return s;
        }
    }
    return {};
}

Status BinaryEncoder::writeListStart(qsizetype size)
{
    if (size == 0) {
        m_out.append(char(tags::kListEmpty));
    } else if (size < 256) {
        m_out.append(char(tags::kList8));
        m_out.append(char(size));
    } else if (size <= 0xFFFF) {
        m_out.append(char(tags::kList16));
        m_out.append(char(size >> 8));
        m_out.append(char(size & 0xFF));
    } else {
        return notEncodable(QStringLiteral("list of %1 entries exceeds 65535").arg(size));
    }
    return {};
}

void BinaryEncoder::writeString(const QString &text)
{
    writeUtf8(text.toUtf8());
}

void BinaryEncoder::writeUtf8(const QByteArray &utf8)
{
    if (const auto token = TokenDictionary::find(std::string_view(utf8.constData(), size_t(utf8.size())))) {
        if (token->dictionary == 0) {
            m_out.append(char(token->index));
        } else {
            m_out.append(char(tags::kDictionary0 + token->dictionary - 1));
            m_out.append(char(token->index));
        }
    } else if (isNibble(utf8)) {
        writePacked(utf8, tags::kNibble8);
    } else if (isHex(utf8)) {
        writePacked(utf8, tags::kHex8);
    } else {
        writeBytes(utf8);
    }
}

Status BinaryEncoder::writeJid(const Jid &jid)
{
    if (jid.server.isEmpty())
        return notEncodable(QStringLiteral("JID without server"));
    if (jid.isAdJid()) {
        if (jid.device > 0xFF)
            return notEncodable(QStringLiteral("AD JID device %1 does not fit one byte").arg(jid.device));
        m_out.append(char(tags::kAdJid));
        m_out.append(char(jid.domainType()));
        m_out.append(char(jid.device));
        writeString(jid.user);
    } else if (jid.server == Jid::kMessengerServer) {
        m_out.append(char(tags::kFbJid));
        writeString(jid.user);
        m_out.append(char(jid.device >> 8));
        m_out.append(char(jid.device & 0xFF));
        writeString(jid.server);
    } else if (jid.server == Jid::kInteropServer) {
        m_out.append(char(tags::kInteropJid));
        writeString(jid.user);
        m_out.append(char(jid.device >> 8));
        m_out.append(char(jid.device & 0xFF));
        m_out.append(char(jid.integrator >> 8));
        m_out.append(char(jid.integrator & 0xFF));
        writeString(jid.server);
    } else {
        m_out.append(char(tags::kJidPair));
        if (jid.user.isEmpty())
            m_out.append(char(tags::kListEmpty));
        else
            writeString(jid.user);
        writeString(jid.server);
    }
    return {};
}

void BinaryEncoder::writeBytes(QByteArrayView bytes)
{
    const qsizetype n = bytes.size();
    if (n < 256) {
        m_out.append(char(tags::kBinary8));
        m_out.append(char(n));
    } else if (n < (1 << 20)) {
        m_out.append(char(tags::kBinary20));
        m_out.append(char((n >> 16) & 0x0F));
        m_out.append(char((n >> 8) & 0xFF));
        m_out.append(char(n & 0xFF));
    } else {
        // QByteArray cannot exceed 2^31, so 32 bits always suffice.
        m_out.append(char(tags::kBinary32));
        m_out.append(char((n >> 24) & 0xFF));
        m_out.append(char((n >> 16) & 0xFF));
        m_out.append(char((n >> 8) & 0xFF));
        m_out.append(char(n & 0xFF));
    }
    m_out.append(bytes);
}

void BinaryEncoder::writePacked(const QByteArray &utf8, quint8 tag)
{
    const auto pack = tag == tags::kNibble8 ? packNibble : packHex;
    const qsizetype n = utf8.size();
    m_out.append(char(tag));
    m_out.append(char(((n + 1) / 2) | (n % 2 ? 0x80 : 0)));
    for (qsizetype i = 0; i + 1 < n; i += 2)
        m_out.append(char((pack(utf8[i]) << 4) | pack(utf8[i + 1])));
    if (n % 2)
        m_out.append(char((pack(utf8[n - 1]) << 4) | 0x0F));
}

} // namespace atende::server::whatsapp
