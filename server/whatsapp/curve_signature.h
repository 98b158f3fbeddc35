#pragma once
// Signal's "curve25519 signatures": 64-byte signatures made with an X25519 private key and checked with the
// X25519 public key (the Ed25519 sign bit travels in the top bit of byte 63). WhatsApp uses them for the
// Noise certificate chain, signed prekeys and the ADV pairing identities (PROTOCOL.md §2.4, §5.2).
// Implemented with libsignal-protocol-c's curve_calculate_signature / curve_verify_signature.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

struct signal_context;

namespace atende::server::whatsapp {

inline constexpr int kCurveSignatureSize = 64;

// True when `signature` (64 bytes) is valid for `message` under the 32-byte public key.
bool verifyCurveSignature(QByteArrayView publicKey, QByteArrayView message, QByteArrayView signature);

// Signs with a 32-byte X25519 private key. Signatures are randomised, so the bytes differ on every call;
// only their validity is reproducible. Owns a libsignal context (with an OpenSSL crypto provider); use one
// signer per thread.
class CurveSigner {
public:
    CurveSigner();
    ~CurveSigner();
    CurveSigner(const CurveSigner &) = delete;
    CurveSigner &operator=(const CurveSigner &) = delete;

    core::Result<QByteArray> sign(QByteArrayView privateKey, QByteArrayView message) const;

private:
    signal_context *m_context = nullptr;
};

} // namespace atende::server::whatsapp
