#include "server/whatsapp/binary_decoder.h"

#include "server/whatsapp/binary_tags.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/token_dictionary.h"
#include "server/whatsapp/zlib_codec.h"

#include <algorithm>

namespace atende::server::whatsapp {

using core::Error;
using core::Result;

namespace {

Error truncated()
{
    return Error::make(errc::kNodeTruncated, QStringLiteral("node data ends early"));
}

Error malformed(QString why)
{
    return Error::make(errc::kNodeMalformed, std::move(why));
}

QString fromToken(std::string_view token)
{
    return QString::fromUtf8(token.data(), qsizetype(token.size()));
}

bool isBinaryTag(quint8 tag)
{
    return tag == tags::kBinary8 || tag == tags::kBinary20 || tag == tags::kBinary32;
}

bool isListTag(quint8 tag)
{
    return tag == tags::kListEmpty || tag == tags::kList8 || tag == tags::kList16;
}

bool isJidTag(quint8 tag)
{
    return tag == tags::kJidPair || tag == tags::kAdJid || tag == tags::kFbJid || tag == tags::kInteropJid;
}

} // namespace

BinaryDecoder::BinaryDecoder(QByteArrayView data, const DecodeLimits &limits)
    : m_data(data)
    , m_limits(limits)
{}

Result<Node> BinaryDecoder::decodeFrame(QByteArrayView plaintext, const DecodeLimits &limits)
{
    if (plaintext.isEmpty())
        return truncated();
    const auto flags = quint8(plaintext[0]);
    const QByteArrayView body = plaintext.sliced(1);
    // Other flag bits have no known meaning and are ignored, as both reference clients do.
    if (!(flags & tags::kFlagCompressed))
        return decodeNode(body, limits);
    auto inflated = zlibDecompress(body, limits.maxDecompressedSize);
    if (!inflated)
        return inflated.error();
    return decodeNode(*inflated, limits);
}

Result<Node> BinaryDecoder::decodeNode(QByteArrayView data, const DecodeLimits &limits)
{
    BinaryDecoder decoder(data, limits);
    auto node = decoder.readNode(0);
    if (!node)
        return node;
    if (decoder.remaining() != 0)
        return Error::make(errc::kNodeTrailingBytes,
                           QStringLiteral("%1 bytes after the root node").arg(decoder.remaining()));
    return node;
}

Result<Node> BinaryDecoder::readNode(int depth)
{
    if (depth >= m_limits.maxDepth)
        return Error::make(errc::kNodeTooDeep, QStringLiteral("nodes nested deeper than %1").arg(m_limits.maxDepth));
    auto listTag = readByte();
    if (!listTag)
        return listTag.error();
    if (!isListTag(*listTag))
        return malformed(QStringLiteral("node does not start with a list header"));
    auto size = readListSize(*listTag);
    if (!size)
        return size.error();
    if (*size == 0)
        return malformed(QStringLiteral("empty node"));

    Node node;
    auto tagByte = readByte();
    if (!tagByte)
        return tagByte.error();
    auto tag = readString(*tagByte);
    if (!tag)
        return tag.error();
    if (tag->isEmpty())
        return malformed(QStringLiteral("node without tag"));
    node.tag = std::move(tag).value();

    const qsizetype attributeCount = (*size - 1) / 2;
    node.attributes.reserve(attributeCount);
    for (qsizetype i = 0; i < attributeCount; ++i) {
        auto keyByte = readByte();
        if (!keyByte)
            return keyByte.error();
        auto key = readString(*keyByte);
        if (!key)
            return key.error();
        auto valueByte = readByte();
        if (!valueByte)
            return valueByte.error();
        auto value = readValue(*valueByte);
        if (!value)
            return value.error();
        node.attributes.append(Attribute{std::move(key).value(), std::move(value).value()});
    }
    if (*size % 2 == 1)
        return node;

    auto contentTag = readByte();
    if (!contentTag)
        return contentTag.error();
    if (isListTag(*contentTag)) {
        auto count = readListSize(*contentTag);
        if (!count)
            return count.error();
        std::vector<Node> children;
        // Announced sizes are only checked against the bytes left, and every level of nesting may announce
        // a large list, so reserve a little and let real children grow the vector.
        children.reserve(size_t(std::min<qsizetype>(*count, 64)));
        for (qsizetype i = 0; i < *count; ++i) {
            auto child = readNode(depth + 1);
            if (!child)
                return child;
            children.push_back(std::move(child).value());
        }
        node.content = std::move(children);
    } else if (isBinaryTag(*contentTag)) {
        auto length = readLength(*contentTag);
        if (!length)
            return length.error();
        auto bytes = readRaw(*length);
        if (!bytes)
            return bytes.error();
        node.content = std::move(bytes).value();
    } else {
        // Token, packed or JID content: rare, kept as its UTF-8 text (§4.3).
        auto value = readValue(*contentTag);
        if (!value)
            return value.error();
        if (const auto *jid = std::get_if<Jid>(&*value))
            node.content = jid->toString().toUtf8();
        else
            node.content = std::get<QString>(*value).toUtf8();
    }
    return node;
}

Result<qsizetype> BinaryDecoder::readListSize(quint8 tag)
{
    qsizetype size = 0;
    if (tag == tags::kList8 || tag == tags::kList16) {
        auto v = readInt(tag == tags::kList8 ? 1 : 2);
        if (!v)
            return v.error();
        size = qsizetype(*v);
    } else if (tag != tags::kListEmpty) {
        return malformed(QStringLiteral("expected a list header, got tag %1").arg(tag));
    }
    // Every entry (string, attribute value or child node) takes at least one byte, so a size beyond the
    // bytes left is a lie; refusing it here keeps reserve() honest.
    if (size > remaining())
        return truncated();
    return size;
}

Result<AttributeValue> BinaryDecoder::readValue(quint8 tag)
{
    if (isJidTag(tag)) {
        auto jid = readJid(tag);
        if (!jid)
            return jid.error();
        return AttributeValue(std::move(jid).value());
    }
    auto s = readString(tag);
    if (!s)
        return s.error();
    return AttributeValue(std::move(s).value());
}

Result<QString> BinaryDecoder::readString(quint8 tag)
{
    if (tag == tags::kListEmpty)
        return QString(); // "" / absent (§4.4)
    if (tag < tags::kDictionary0) {
        const auto token = TokenDictionary::singleByte(tag);
        if (!token)
            return Error::make(errc::kNodeInvalidToken, QStringLiteral("invalid single-byte token %1").arg(tag));
        return fromToken(*token);
    }
    if (tag <= tags::kDictionary0 + 3) {
        auto index = readByte();
        if (!index)
            return index.error();
        const auto token = TokenDictionary::doubleByte(tag - tags::kDictionary0, *index);
        if (!token)
            return Error::make(errc::kNodeInvalidToken, QStringLiteral("invalid double-byte token"));
        return fromToken(*token);
    }
    if (isBinaryTag(tag)) {
        auto length = readLength(tag);
        if (!length)
            return length.error();
        auto raw = readRaw(*length);
        if (!raw)
            return raw.error();
        return QString::fromUtf8(*raw);
    }
    if (tag == tags::kNibble8 || tag == tags::kHex8)
        return readPacked(tag);
    if (isJidTag(tag))
        return malformed(QStringLiteral("JID where a plain string is required"));
    return Error::make(errc::kNodeInvalidToken, QStringLiteral("invalid string tag %1").arg(tag));
}

Result<QString> BinaryDecoder::readPacked(quint8 tag)
{
    auto header = readByte();
    if (!header)
        return header.error();
    const int pairs = *header & 0x7F;
    const bool odd = *header & 0x80;
    if (odd && pairs == 0)
        return malformed(QStringLiteral("packed string of length -1"));
    if (pairs > remaining())
        return truncated();
    QString out;
    out.reserve(2 * pairs);
    auto put = [&](int nibble) -> bool {
        if (tag == tags::kHex8) {
            out += QChar(nibble < 10 ? u'0' + nibble : u'A' + nibble - 10);
            return true;
        }
        if (nibble < 10)
            out += QChar(u'0' + nibble);
        else if (nibble == 10)
            out += u'-';
        else if (nibble == 11)
            out += u'.';
        else
            return false; // 12..15 are not characters (15 is only the pad of an odd string)
        return true;
    };
    for (int i = 0; i < pairs; ++i) {
        const auto byte = quint8(m_data[m_pos++]);
        if (!put(byte >> 4))
            return malformed(QStringLiteral("invalid nibble"));
        // The low nibble of an odd string's last byte is padding (0xF by convention); like both reference
        // clients we drop it without looking at it.
        if (!(odd && i == pairs - 1) && !put(byte & 0x0F))
            return malformed(QStringLiteral("invalid nibble"));
    }
    return out;
}

Result<Jid> BinaryDecoder::readJid(quint8 tag)
{
    Jid jid;
    auto readPlain = [this]() -> Result<QString> {
        auto t = readByte();
        if (!t)
            return t.error();
        return readString(*t);
    };
    if (tag == tags::kAdJid) {
        auto domain = readByte();
        if (!domain)
            return domain.error();
        auto device = readByte();
        if (!device)
            return device.error();
        auto user = readPlain();
        if (!user)
            return user.error();
        jid.user = std::move(user).value();
        jid.device = *device;
        switch (*domain) {
        case 0: jid.server = QString(Jid::kUserServer); break;
        case 1: jid.server = QString(Jid::kLidServer); break;
        case 128: jid.server = QString(Jid::kHostedServer); break;
        case 129: jid.server = QString(Jid::kHostedLidServer); break;
        default:
            // Unknown domain: keep it as a raw agent on the PN server, like whatsmeow.
            jid.server = QString(Jid::kUserServer);
            jid.agent = *domain;
        }
        return jid;
    }
    auto user = readPlain();
    if (!user)
        return user.error();
    jid.user = std::move(user).value();
    if (tag == tags::kFbJid || tag == tags::kInteropJid) {
        auto device = readInt(2);
        if (!device)
            return device.error();
        jid.device = quint16(*device);
        if (tag == tags::kInteropJid) {
            auto integrator = readInt(2);
            if (!integrator)
                return integrator.error();
            jid.integrator = quint16(*integrator);
        }
    }
    auto server = readPlain();
    if (!server)
        return server.error();
    if (server->isEmpty())
        return malformed(QStringLiteral("JID without server"));
    jid.server = std::move(server).value();
    return jid;
}

Result<QByteArray> BinaryDecoder::readRaw(qsizetype length)
{
    if (length < 0 || length > remaining())
        return truncated();
    QByteArray out = m_data.sliced(m_pos, length).toByteArray();
    m_pos += length;
    return out;
}

Result<qsizetype> BinaryDecoder::readLength(quint8 tag)
{
    if (tag == tags::kBinary20) {
        auto v = readInt(3);
        if (!v)
            return v.error();
        return qsizetype(*v & 0x0FFFFF);
    }
    auto v = readInt(tag == tags::kBinary8 ? 1 : 4);
    if (!v)
        return v.error();
    return qsizetype(*v);
}

Result<quint32> BinaryDecoder::readInt(int bytes)
{
    if (remaining() < bytes)
        return truncated();
    quint32 v = 0;
    for (int i = 0; i < bytes; ++i)
        v = (v << 8) | quint8(m_data[m_pos++]);
    return v;
}

Result<quint8> BinaryDecoder::readByte()
{
    if (remaining() < 1)
        return truncated();
    return quint8(m_data[m_pos++]);
}

} // namespace atende::server::whatsapp
