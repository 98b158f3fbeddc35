#pragma once
// The PHC string format for Argon2id hashes, as libargon2 writes it:
//   $argon2id$v=19$m=<KiB>,t=<iterations>,p=<lanes>$<salt>$<hash>   (salt/hash: base64, no padding)
// Parsing is strict and bounded: a corrupted or hostile row must not make the server allocate gigabytes or
// spin for minutes, so parameters outside sane limits are rejected as malformed. Internal to the module.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace atende::server::security {

struct PhcArgon2id {
    quint32 memoryKiB = 0;
    quint32 iterations = 0;
    quint32 parallelism = 0;
    QByteArray salt;
    QByteArray hash;

    static std::optional<PhcArgon2id> parse(QByteArrayView text);
    QByteArray format() const;
};

} // namespace atende::server::security
