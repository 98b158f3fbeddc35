#pragma once
// The symmetric and X25519 primitives the protocol needs, on OpenSSL 3 EVP. Keys are raw bytes: X25519
// private and public keys are 32 bytes (no 0x05 prefix), AES-256 keys 32 bytes.
//
// Functions whose inputs can be wrong (key sizes, a failing GCM tag, a low-order point) return a Result;
// pure hashes cannot fail on valid memory and return the digest directly.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp::crypto {

using core::Result;

inline constexpr int kKeySize = 32;
inline constexpr int kGcmTagSize = 16;
inline constexpr int kGcmIvSize = 12;

struct KeyPair {
    QByteArray privateKey; // 32 bytes
    QByteArray publicKey;  // 32 bytes
};

QByteArray randomBytes(qsizetype count);
QByteArray sha256(QByteArrayView data);
QByteArray hmacSha256(QByteArrayView key, QByteArrayView data);
// RFC 5869. An empty salt means "no salt" (HashLen zero bytes); empty IKM and info are allowed.
QByteArray hkdfSha256(QByteArrayView ikm, QByteArrayView salt, QByteArrayView info, qsizetype length);
QByteArray pbkdf2Sha256(QByteArrayView password, QByteArrayView salt, int iterations, qsizetype length);

// AES-256-GCM with a 12-byte IV; the 16-byte tag is appended to / expected at the end of the ciphertext.
Result<QByteArray> aesGcmEncrypt(QByteArrayView key, QByteArrayView iv, QByteArrayView aad, QByteArrayView plaintext);
Result<QByteArray> aesGcmDecrypt(QByteArrayView key, QByteArrayView iv, QByteArrayView aad,
                                 QByteArrayView ciphertextAndTag);
// AES-256-CTR with a 16-byte initial counter block; encryption and decryption are the same operation.
Result<QByteArray> aesCtr(QByteArrayView key, QByteArrayView iv, QByteArrayView data);

// The public key for a 32-byte X25519 private key (OpenSSL clamps it as RFC 7748 requires).
Result<QByteArray> x25519PublicKey(QByteArrayView privateKey);
Result<KeyPair> x25519KeyPair(QByteArrayView privateKey);
KeyPair generateX25519KeyPair();
// X25519(private, public). Fails for low-order public keys (all-zero shared secret).
Result<QByteArray> x25519(QByteArrayView privateKey, QByteArrayView publicKey);

bool constantTimeEquals(QByteArrayView a, QByteArrayView b);

} // namespace atende::server::whatsapp::crypto
