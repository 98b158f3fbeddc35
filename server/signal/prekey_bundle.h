#pragma once
// A peer device's prekey bundle: the fields of one `<user>` node of a key fetch (PROTOCOL.md §7.3) or of
// the `<keys>` of a retry receipt (§8.4), already parsed by the stanza layer. Keys are the bare 32 bytes of
// the wire; the account adds the 0x05 type byte libsignal needs (SIGNAL-INTEROP.md trap 1).

#include <QByteArray>
#include <optional>

namespace atende::server::signal {

struct PreKeyBundle {
    quint32 registrationId = 0;       // <registration> u32be
    QByteArray identityKey;           // <identity>, 32 bytes
    quint32 signedPreKeyId = 0;       // <skey><id> u24be
    QByteArray signedPreKey;          // <skey><value>, 32 bytes
    QByteArray signedPreKeySignature; // <skey><signature>, 64 bytes over 0x05 ‖ signedPreKey
    struct OneTime {
        quint32 id = 0; // <key><id> u24be
        QByteArray key; // <key><value>, 32 bytes
    };
    std::optional<OneTime> preKey; // absent when the server ran out of one-time prekeys
};

} // namespace atende::server::signal
