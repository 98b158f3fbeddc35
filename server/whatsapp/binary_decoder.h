#pragma once
// Decodes WhatsApp binary nodes (PROTOCOL.md §4) from untrusted bytes. Every read is bounds-checked,
// recursion is capped, list sizes are checked against the bytes left (so a 3-byte input cannot ask for
// 65535 children) and inflation is capped; any violation is an Error, never a crash or a huge allocation.
// A fuzz target is one line: `BinaryDecoder::decodeFrame(QByteArrayView(data, qsizetype(size)));`.

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <QByteArrayView>

namespace atende::server::whatsapp {

struct DecodeLimits {
    int maxDepth = 64;
    // Frames are at most 16 MiB on the wire; an inflated node may not grow beyond this.
    qsizetype maxDecompressedSize = 16 * 1024 * 1024;
};

class BinaryDecoder {
public:
    // One frame plaintext: flags byte ‖ body, inflating the body when flags & 0x02.
    static core::Result<Node> decodeFrame(QByteArrayView plaintext, const DecodeLimits &limits = {});
    // Node bytes without a flags byte. All bytes must belong to the node.
    static core::Result<Node> decodeNode(QByteArrayView data, const DecodeLimits &limits = {});

private:
    BinaryDecoder(QByteArrayView data, const DecodeLimits &limits);

    core::Result<Node> readNode(int depth);
    core::Result<qsizetype> readListSize(quint8 tag);
    core::Result<AttributeValue> readValue(quint8 tag);
    core::Result<QString> readString(quint8 tag);
    core::Result<QString> readPacked(quint8 tag);
    core::Result<Jid> readJid(quint8 tag);
    core::Result<QByteArray> readRaw(qsizetype length);
    core::Result<qsizetype> readLength(quint8 tag);
    core::Result<quint32> readInt(int bytes);
    core::Result<quint8> readByte();
    qsizetype remaining() const { return m_data.size() - m_pos; }

    QByteArrayView m_data;
    qsizetype m_pos = 0;
    DecodeLimits m_limits;
};

} // namespace atende::server::whatsapp
