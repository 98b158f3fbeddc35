#include "server/whatsapp/zlib_codec.h"

#include "server/whatsapp/error_codes.h"

#include <zlib.h>

#include <algorithm>
#include <climits>

namespace atende::server::whatsapp {

using core::Error;

core::Result<QByteArray> zlibDecompress(QByteArrayView compressed, qsizetype maxOutput)
{
    if (compressed.size() > UINT_MAX)
        return Error::make(errc::kDecompressFailed, QStringLiteral("compressed input too large"));
    z_stream zs = {};
    if (inflateInit(&zs) != Z_OK)
        return Error::make(errc::kDecompressFailed, QStringLiteral("inflateInit failed"));
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    zs.avail_in = uInt(compressed.size());

    QByteArray out;
    constexpr qsizetype kChunk = 16 * 1024;
    int rc = Z_OK;
    while (rc != Z_STREAM_END) {
        // Grow in chunks but never beyond maxOutput + 1: one byte over the limit proves the bomb.
        const qsizetype room = std::min(kChunk, maxOutput + 1 - out.size());
        if (room <= 0)
            break;
        const qsizetype before = out.size();
        out.resize(before + room);
        zs.next_out = reinterpret_cast<Bytef *>(out.data() + before);
        zs.avail_out = uInt(room);
        rc = inflate(&zs, Z_NO_FLUSH);
        out.resize(before + room - qsizetype(zs.avail_out));
        if (rc == Z_STREAM_END)
            break;
        if (rc != Z_OK) {
            // Z_BUF_ERROR here means the input ended before the stream did.
            inflateEnd(&zs);
            return Error::make(errc::kDecompressFailed, rc == Z_BUF_ERROR ? QStringLiteral("zlib stream truncated")
                                                                          : QStringLiteral("zlib stream corrupt"));
        }
    }
    const uInt trailing = zs.avail_in;
    inflateEnd(&zs);
    if (out.size() > maxOutput)
        return Error::make(errc::kDecompressedTooLarge,
                           QStringLiteral("decompressed node exceeds %1 bytes").arg(maxOutput));
    if (rc != Z_STREAM_END)
        return Error::make(errc::kDecompressFailed, QStringLiteral("zlib stream truncated"));
    if (trailing != 0)
        return Error::make(errc::kDecompressFailed, QStringLiteral("bytes after the end of the zlib stream"));
    return out;
}

core::Result<QByteArray> zlibCompress(QByteArrayView data)
{
    if (data.size() > UINT_MAX / 2)
        return Error::make(errc::kNodeNotEncodable, QStringLiteral("input too large to compress"));
    uLongf size = compressBound(uLong(data.size()));
    QByteArray out(qsizetype(size), Qt::Uninitialized);
    if (compress2(reinterpret_cast<Bytef *>(out.data()), &size, reinterpret_cast<const Bytef *>(data.data()),
                  uLong(data.size()), Z_DEFAULT_COMPRESSION) != Z_OK)
        return Error::make(errc::kNodeNotEncodable, QStringLiteral("zlib compression failed"));
    out.resize(qsizetype(size));
    return out;
}

} // namespace atende::server::whatsapp
