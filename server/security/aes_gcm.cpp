#include "server/security/aes_gcm.h"

#include "server/security/error_codes.h"
#include "server/security/openssl_ptr.h"

#include <openssl/evp.h>

#include <climits>

namespace atende::server::security::aesgcm {

namespace {

using atende::core::Error;

constexpr qsizetype kMaxInput = INT_MAX / 2;

unsigned char *out(QByteArray &a)
{
    return reinterpret_cast<unsigned char *>(a.data());
}

Error failed(const char *code, const char *what)
{
    return Error::make(code, QString::fromLatin1(what));
}

} // namespace

atende::core::Result<QByteArray> seal(const SymmetricKey &key, QByteArrayView nonce, QByteArrayView aad,
                                      QByteArrayView plaintext)
{
    if (nonce.size() != kNonceSize || aad.size() > kMaxInput || plaintext.size() > kMaxInput)
        return failed(atende::core::errc::kInvalidArgument, "invalid AES-GCM input sizes");
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    QByteArray result(plaintext.size() + kTagSize, Qt::Uninitialized);
    int len = 0;
    int finalLen = 0;
    if (!ctx ||
        EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), ossl::bytes(nonce.data(), nonce.size()),
                            nullptr) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, ossl::bytes(aad.data(), aad.size()), int(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out(result), &len, ossl::bytes(plaintext.data(), plaintext.size()),
                          int(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out(result) + len, &finalLen) != 1 || len + finalLen != plaintext.size() ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, int(kTagSize), out(result) + plaintext.size()) != 1)
        return failed(errc::kCryptoFailed, "AES-GCM encryption failed");
    return result;
}

atende::core::Result<QByteArray> open(const SymmetricKey &key, QByteArrayView nonce, QByteArrayView aad,
                                      QByteArrayView ciphertextAndTag)
{
    if (nonce.size() != kNonceSize || aad.size() > kMaxInput || ciphertextAndTag.size() < kTagSize ||
        ciphertextAndTag.size() > kMaxInput)
        return failed(errc::kEnvelopeMalformed, "invalid AES-GCM input sizes");
    const qsizetype ctLen = ciphertextAndTag.size() - kTagSize;
    // The tag ctrl takes a non-const pointer; copy it so we never cast away const on caller memory.
    QByteArray tag = ciphertextAndTag.sliced(ctLen).toByteArray();
    ossl::CipherCtx ctx(EVP_CIPHER_CTX_new());
    QByteArray plain(ctLen, Qt::Uninitialized);
    int len = 0;
    int finalLen = 0;
    if (!ctx ||
        EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), key.data(), ossl::bytes(nonce.data(), nonce.size()),
                            nullptr) != 1 ||
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, ossl::bytes(aad.data(), aad.size()), int(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx.get(), out(plain), &len, ossl::bytes(ciphertextAndTag.data(), ctLen), int(ctLen)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, int(kTagSize), tag.data()) != 1)
        return failed(errc::kCryptoFailed, "AES-GCM setup failed");
    // Final is where the tag is checked; on failure the partial plaintext must not escape.
    if (EVP_DecryptFinal_ex(ctx.get(), out(plain) + len, &finalLen) != 1 || len + finalLen != ctLen)
        return failed(errc::kEnvelopeDecryptFailed, "authentication failed (wrong key, wrong context or tampered)");
    return plain;
}

} // namespace atende::server::security::aesgcm
