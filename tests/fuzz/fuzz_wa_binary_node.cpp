// libFuzzer: the WhatsApp binary node decoder (frame flag byte, optional zlib, tokens, JIDs, nested lists)
// must reject hostile input with an error, never crash or over-read.
#include "server/whatsapp/binary_decoder.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    (void)atende::server::whatsapp::BinaryDecoder::decodeFrame(bytes);
    (void)atende::server::whatsapp::BinaryDecoder::decodeNode(bytes);
    return 0;
}
