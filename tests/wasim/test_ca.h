#pragma once
// The simulator's certificate authority (PROTOCOL.md §2.4, §12.1 item 2): a root key pair, an intermediate
// Details{serial 1, issuerSerial 0} signed by the root and a leaf Details{serial 2, issuerSerial 1,
// key = server static} signed by the intermediate. Keys are random per run, or derived from a seed so that
// runs are reproducible. Broken chains for negative tests are produced on request.

#include "common/core/result.h"
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/curve_signature.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace atende::wasim {

enum class ChainFault {
    None,
    WrongRoot,      // intermediate signed by a key that is not the announced root
    WrongLeafKey,   // leaf names a key other than the server static key
    Expired,        // leaf validity window ended an hour ago
    SerialMismatch, // leaf.issuerSerial != intermediate.serial
};
// Stable names used by the admin API: "none", "wrong_root", "wrong_leaf_key", "expired", "serial_mismatch".
QString chainFaultName(ChainFault fault);
std::optional<ChainFault> chainFaultFromName(QStringView name);

class TestCa {
public:
    static constexpr quint32 kRootSerial = 0;
    static constexpr quint32 kIntermediateSerial = 1;
    static constexpr quint32 kLeafSerial = 2;
    static constexpr quint64 kNotBefore = 1700000000; // 2023-11-14
    static constexpr quint64 kNotAfter = 4102444800;  // 2100-01-01

    // Empty seed = fresh random keys. Otherwise every key is SHA-256(seed ‖ "/" ‖ label), clamped.
    explicit TestCa(const QByteArray &seed = {});

    QByteArray rootPublicKey() const { return m_root.publicKey; }
    QByteArray intermediatePublicKey() const { return m_intermediate.publicKey; }

    // Serialized CertChain for `serverStaticPublicKey`; `now` (unix seconds) places the expired window.
    core::Result<QByteArray> chainFor(QByteArrayView serverStaticPublicKey, ChainFault fault, qint64 now) const;

    // A key pair derived like the CA's own (seeded) or random; used for the server static key.
    static server::whatsapp::crypto::KeyPair derivedKeyPair(const QByteArray &seed, const char *label);

private:
    server::whatsapp::crypto::KeyPair m_root;
    server::whatsapp::crypto::KeyPair m_intermediate;
    server::whatsapp::crypto::KeyPair m_impostorRoot;
    server::whatsapp::CurveSigner m_signer;
};

} // namespace atende::wasim
