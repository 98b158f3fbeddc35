#pragma once
// Phone-number linking with an 8-character code (PROTOCOL.md §5.3): the code alphabet, the PBKDF2 key that
// wraps each side's ephemeral key, and the companion_finish key bundle plus the adv secret derived from it.
// Random inputs are parameters so that tests (and the simulated phone) can fix them.

#include "common/core/result.h"
#include "server/whatsapp/crypto.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace atende::server::whatsapp::pairing_code {

inline constexpr int kCodeLength = 8;
inline constexpr int kPbkdf2Iterations = 2 << 16; // 131072
inline constexpr int kWrappedSize = 32 + 16 + 32; // salt ‖ iv ‖ AES-CTR(key)

// 5 bytes → 8 characters of "123456789ABCDEFGHJKLMNPQRSTVWXYZ" (base32 bit order, no padding).
QString codeFromBytes(QByteArrayView fiveBytes);
QString generateCode();
// Shown to the user as XXXX-XXXX.
QString displayCode(const QString &code);

// PBKDF2-HMAC-SHA256(code, salt, 131072, 32).
QByteArray codeKey(const QString &code, QByteArrayView salt);
// salt(32) ‖ iv(16) ‖ AES-256-CTR(codeKey(code, salt), iv, ephemeralPublicKey) — 80 bytes.
core::Result<QByteArray> wrapEphemeral(const QString &code, QByteArrayView salt, QByteArrayView iv,
                                       QByteArrayView ephemeralPublicKey);
core::Result<QByteArray> unwrapEphemeral(const QString &code, QByteArrayView wrapped);

struct FinishInput {
    QString code;
    crypto::KeyPair companionEphemeral;
    QByteArray wrappedPrimaryEphemeral; // 80 bytes from the link_code_companion_reg notification
    QByteArray primaryIdentityPublicKey;
    crypto::KeyPair identity; // our Signal identity key pair
    // Randomness (32, 32 and 12 bytes); fresh values from crypto::randomBytes in production.
    QByteArray random;
    QByteArray keyBundleSalt;
    QByteArray nonce;
};

struct FinishResult {
    QByteArray wrappedKeyBundle; // link_code_pairing_wrapped_key_bundle
    QByteArray advSecret;        // replaces the random adv secret for the following pair-success
};

core::Result<FinishResult> companionFinish(const FinishInput &input);
// The primary's view: decrypts a key bundle with the shared secret DH(primaryEphemeral, companionEphemeral)
// and returns identityPub(32) ‖ primaryIdentityPub(32) ‖ random(32).
core::Result<QByteArray> openKeyBundle(QByteArrayView sharedSecret, QByteArrayView wrappedKeyBundle);
// HKDF-SHA256(sharedSecret ‖ identityAgreement ‖ random, no salt, "adv_secret", 32).
QByteArray deriveAdvSecret(QByteArrayView sharedSecret, QByteArrayView identityAgreement, QByteArrayView random);

} // namespace atende::server::whatsapp::pairing_code
