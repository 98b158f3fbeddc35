#pragma once
// A small binary secret file (the master key): read it only when it is a regular file of the exact size
// with no group/other permission bits, and create it atomically with mode 0600 — written to a temporary
// file first and linked into place, so a concurrent starter never sees a half-written key and two
// starters never both "create" a key. POSIX only (Debian target).

#include "common/core/result.h"

#include <QByteArray>
#include <QString>

namespace atende::server::security {

class KeyFile {
public:
    enum class CreateOutcome { Created, AlreadyExists };

    // errc::kKeyFileIo with details.reason "not_found" when the file does not exist.
    static atende::core::Result<QByteArray> read(const QString &path, qsizetype expectedSize);
    // Never overwrites: AlreadyExists when the path is taken (the caller then reads it).
    static atende::core::Result<CreateOutcome> create(const QString &path, const QByteArray &contents);
    static bool isNotFound(const atende::core::Error &error);
};

} // namespace atende::server::security
