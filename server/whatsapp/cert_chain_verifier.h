#pragma once
// Verifies the Noise server certificate chain (PROTOCOL.md §2.4): root → intermediate → leaf, with the leaf
// key equal to the server static key from the handshake. This is whatsmeow's complete algorithm; each
// failed check has its own error code (errc::kCert*). The trust root and the expected issuer serial are
// parameters so that the simulated server can run its own test CA, and the clock is injectable so that
// validity windows are testable.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

#include <functional>

namespace atende::server::whatsapp {

class CertChainVerifier {
public:
    // Returns "now" in unix seconds.
    using Clock = std::function<qint64()>;

    // WhatsApp's production root (ROOT_PUB, §2.4) and its serial 0.
    static QByteArray whatsAppRootKey();
    static constexpr quint32 kWhatsAppRootSerial = 0;
    static Clock systemClock();

    // `rootKey` is a 32-byte curve25519 public key; `rootSerial` the issuer serial the intermediate must
    // name. A null clock means the system clock.
    CertChainVerifier(QByteArray rootKey, quint32 rootSerial, Clock clock = {});
    static CertChainVerifier forWhatsApp(Clock clock = {});

    // `certChain` is the decrypted ServerHello payload, `serverStaticKey` the decrypted server static key.
    core::Status verify(QByteArrayView certChain, QByteArrayView serverStaticKey) const;

private:
    QByteArray m_rootKey;
    quint32 m_rootSerial;
    Clock m_clock;
};

} // namespace atende::server::whatsapp
