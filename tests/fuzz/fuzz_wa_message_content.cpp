// libFuzzer: the Message codec (server/whatsapp/message_content.h) gets the decrypted bytes of any peer —
// the one part of a message no server checks. It must answer with content or an error, never crash; and what
// it parsed must survive being wrapped for our other devices and parsed again.
#include "server/whatsapp/message_content.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using namespace atende::server::whatsapp;
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)decodeReceived(bytes); // with v="2" padding
    const auto parsed = parseMessage(bytes);
    if (!parsed.ok())
        return 0;
    // Our device-sent wrapper around it parses again (two levels deeper than the input, well within
    // protobuf's recursion limit for anything our unwrapping limit accepts).
    const QByteArray wrapped = buildDeviceSentMessage(QStringLiteral("15550000002@s.whatsapp.net"), bytes);
    (void)parseMessage(wrapped);
    if (parsed.value().kind == MessageContent::Kind::Text) {
        const std::optional<OutgoingQuote> quote =
            parsed.value().quote
                ? std::optional<OutgoingQuote>(OutgoingQuote{
                      parsed.value().quote->stanzaId, parsed.value().quote->participant, parsed.value().quote->text})
                : std::nullopt;
        const auto again = parseMessage(buildTextMessage(parsed.value().text, quote));
        if (!again.ok() || again.value().text != parsed.value().text)
            __builtin_trap(); // a text we parsed must round-trip through our own builder
    }
    return 0;
}
