// libFuzzer: the HTTP/1.1 request parser must never crash, hang or read out of bounds, whatever arrives and
// however it is split across reads. The first byte chooses the split point.
#include "server/api/http_parser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using atende::server::api::HttpParser;
    if (size == 0)
        return 0;
    const std::size_t split = data[0] % size;
    atende::server::api::HttpParserLimits limits;
    limits.maxBodyBytes = 4096;
    limits.maxHeaderBytes = 2048;
    HttpParser parser(limits);
    auto drain = [&parser] {
        for (int i = 0; i < 64; ++i) {
            const HttpParser::Status s = parser.next();
            if (s != HttpParser::Status::Complete)
                return s;
            (void)parser.takeRequest();
        }
        return HttpParser::Status::NeedMore;
    };
    parser.feed(QByteArrayView(reinterpret_cast<const char *>(data + 1), qsizetype(split)));
    if (drain() == HttpParser::Status::Error)
        return 0;
    parser.feed(QByteArrayView(reinterpret_cast<const char *>(data + 1 + split), qsizetype(size - 1 - split)));
    drain();
    return 0;
}
