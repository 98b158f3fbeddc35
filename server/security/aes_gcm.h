#pragma once
// AES-256-GCM with a 12-byte nonce; the 16-byte tag follows the ciphertext. Internal to the module: the
// public API is Envelope, which owns nonce generation and the blob layout.

#include "common/core/result.h"
#include "server/security/symmetric_key.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::security::aesgcm {

inline constexpr qsizetype kNonceSize = 12;
inline constexpr qsizetype kTagSize = 16;

atende::core::Result<QByteArray> seal(const SymmetricKey &key, QByteArrayView nonce, QByteArrayView aad,
                                      QByteArrayView plaintext);
// Fails with errc::kEnvelopeDecryptFailed when the tag does not verify.
atende::core::Result<QByteArray> open(const SymmetricKey &key, QByteArrayView nonce, QByteArrayView aad,
                                      QByteArrayView ciphertextAndTag);

} // namespace atende::server::security::aesgcm
