// libFuzzer: the WhatsApp stream framing (intro header, 3-byte lengths) fed in arbitrary chunks.
#include "server/whatsapp/frame_reader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using atende::server::whatsapp::FrameReader;
    if (size < 2)
        return 0;
    const FrameReader::Mode mode = data[0] & 1 ? FrameReader::Mode::IntroThenFrames : FrameReader::Mode::Frames;
    const std::size_t chunk = std::size_t(data[1] % 17) + 1;
    FrameReader reader(mode, 4096);
    for (std::size_t at = 2; at < size; at += chunk) {
        const std::size_t n = at + chunk <= size ? chunk : size - at;
        if (!reader.feed(QByteArrayView(reinterpret_cast<const char *>(data + at), qsizetype(n))).ok())
            return 0;
        while (reader.takeFrame()) {
        }
    }
    return 0;
}
