#pragma once
// Encodes a Node into WhatsApp's binary XML form with token dictionary v3 (PROTOCOL.md §4.2-§4.5).
// encodeFrame() adds the leading flags byte (always 0x00: we never compress what we send); the result is
// the plaintext of one Noise transport frame.

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <QByteArray>

namespace atende::server::whatsapp {

class BinaryEncoder {
public:
    // Node bytes without the flags byte. Attributes with an empty string value are left out (§4.4: WM
    // omits them and the server never expects them). Fails only for nodes the format cannot express
    // (more than 65535 list entries, an AD_JID device above 255, a JID without server, an empty tag).
    static core::Result<QByteArray> encodeNode(const Node &node);
    // 0x00 ‖ encodeNode(node).
    static core::Result<QByteArray> encodeFrame(const Node &node);
    // 0x02 ‖ zlib(encodeNode(node)): what a server may send; used by the test server.
    static core::Result<QByteArray> encodeCompressedFrame(const Node &node);

private:
    BinaryEncoder() = default;
    core::Status writeNode(const Node &node);
    core::Status writeListStart(qsizetype size);
    void writeString(const QString &text);
    void writeUtf8(const QByteArray &utf8);
    core::Status writeJid(const Jid &jid);
    void writeBytes(QByteArrayView bytes);
    void writePacked(const QByteArray &utf8, quint8 tag);

    QByteArray m_out;
};

} // namespace atende::server::whatsapp
