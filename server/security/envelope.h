#pragma once
// AES-256-GCM envelope encryption (ARCHITECTURE.md decision 5). Two blob layouts, both starting with a
// version byte and the id of the key that can open them:
//   wrapped data key: 0x01 | master key id (8) | nonce (12) | encrypted data key (32) | tag (16)
//   encrypted value:  0x01 | data key id (8)   | nonce (12) | ciphertext (n)         | tag (16)
// The header (version + key id) and a fixed domain label are authenticated with the payload, so neither
// can be edited and a wrapped key can never be opened as a value or vice versa. encrypt()/decrypt() also
// authenticate the caller's associated data: pass e.g. "<tenant id>/<table>/<purpose>" so a ciphertext
// copied into another row or tenant fails to decrypt. Nonces are random (96 bits); with one data key per
// tenant that stays far below GCM's 2^32-messages-per-key limit.
//
// Any tampering or wrong key gives an error value (envelope_wrong_key / envelope_decrypt_failed /
// envelope_malformed), never a crash or partial plaintext.

#include "common/core/result.h"
#include "server/security/data_key.h"
#include "server/security/master_key.h"

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace atende::server::security {

class Envelope {
public:
    static constexpr quint8 kVersion = 1;
    static constexpr qsizetype kWrappedKeySize = 1 + 8 + 12 + 32 + 16;
    static constexpr qsizetype kOverhead = 1 + 8 + 12 + 16;

    static atende::core::Result<QByteArray> wrap(const DataKey &dataKey, const MasterKey &masterKey);
    static atende::core::Result<DataKey> unwrap(QByteArrayView wrapped, const MasterKey &masterKey);
    // Master key rotation: unwrap under the old key, wrap under the new one. A blob already wrapped by the
    // new key is returned unchanged, so an interrupted rotation can simply be run again.
    static atende::core::Result<QByteArray> rewrap(QByteArrayView wrapped, const MasterKey &oldMaster,
                                                   const MasterKey &newMaster);

    static atende::core::Result<QByteArray> encrypt(QByteArrayView plaintext, const DataKey &dataKey,
                                                    QByteArrayView associatedData);
    static atende::core::Result<QByteArray> decrypt(QByteArrayView ciphertext, const DataKey &dataKey,
                                                    QByteArrayView associatedData);

    // The key id in a blob's header (master key id for wrapped keys, data key id for values).
    static std::optional<QByteArray> keyIdOf(QByteArrayView blob);
};

} // namespace atende::server::security
