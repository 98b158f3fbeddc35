#pragma once
// zlib (RFC 1950) for compressed node buffers (PROTOCOL.md §4.1). qUncompress() cannot be used: it expects
// Qt's own 4-byte length prefix and has no output bound.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

// Inflates one complete zlib stream. Fails on corrupt or truncated input, on bytes after the end of the
// stream and as soon as the output would exceed maxOutput (so a decompression bomb costs at most that).
core::Result<QByteArray> zlibDecompress(QByteArrayView compressed, qsizetype maxOutput);
core::Result<QByteArray> zlibCompress(QByteArrayView data);

} // namespace atende::server::whatsapp
