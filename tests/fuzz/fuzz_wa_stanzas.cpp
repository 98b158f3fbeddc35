// libFuzzer: the inbound stanza parsers (message, receipt, server ack, key bundles, usync, chat state,
// presence) on whatever node the binary decoder makes of the input. Hostile stanzas must come back as
// errors, never crash or over-read; a node that parses must also survive building the client ack.
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/message_stanza.h"
#include "server/whatsapp/presence_stanza.h"
#include "server/whatsapp/receipt_stanza.h"
#include "server/whatsapp/usync.h"

#include <cstddef>
#include <cstdint>

using namespace atende::server::whatsapp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    auto node = BinaryDecoder::decodeNode(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!node)
        return 0;
    // The parsers check the tag themselves; give each one the node under its expected tag too, so that the
    // fuzzer does not have to find the token for "message" before it reaches the attribute checks.
    for (const char *tag : {"", "message", "receipt", "ack", "iq", "chatstate", "presence"}) {
        Node n = *node;
        if (*tag)
            n.tag = QString::fromLatin1(tag);
        if (auto m = parseMessageStanza(n, Jid::make(QStringLiteral("1"), QString(Jid::kUserServer))); !m)
            (void)nackCodeFor(m.error());
        (void)parseReceiptStanza(n);
        (void)parseServerAck(n);
        (void)parseKeyBundleResult(n);
        (void)parseUsyncDevices(n);
        (void)parseChatState(n);
        (void)parsePresence(n);
        (void)buildClientAck(n, 487);
    }
    return 0;
}
