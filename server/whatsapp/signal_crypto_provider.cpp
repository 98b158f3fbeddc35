#include "server/whatsapp/signal_crypto_provider.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>
#include <cstdint>

namespace atende::server::whatsapp {

namespace {

int randomFunc(uint8_t *data, size_t len, void *)
{
    return RAND_bytes(data, int(len)) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

// hkdf with a NULL salt calls init(key = NULL, len = 0) and cleans up even after a failed init: set the
// context to null first and hand OpenSSL a non-NULL pointer for the empty key, since EVP_MAC_init reads a
// NULL key as "keep the previous key" and fails on a fresh context (pitfall 13).
int hmacInit(void **context, const uint8_t *key, size_t keyLen, void *)
{
    *context = nullptr;
    EVP_MAC *mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : nullptr;
    EVP_MAC_free(mac);
    if (!ctx)
        return SG_ERR_NOMEM;
    static constexpr uint8_t kEmptyKey = 0;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(ctx, key ? key : &kEmptyKey, keyLen, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        return SG_ERR_UNKNOWN;
    }
    *context = ctx;
    return SG_SUCCESS;
}

int hmacUpdate(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_MAC_update(static_cast<EVP_MAC_CTX *>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int hmacFinal(void *context, signal_buffer **output, void *)
{
    uint8_t out[EVP_MAX_MD_SIZE];
    size_t len = 0;
    if (EVP_MAC_final(static_cast<EVP_MAC_CTX *>(context), out, &len, sizeof out) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(out, len);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

void hmacCleanup(void *context, void *)
{
    EVP_MAC_CTX_free(static_cast<EVP_MAC_CTX *>(context));
}

int sha512Init(void **context, void *)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    *context = ctx;
    if (!ctx)
        return SG_ERR_NOMEM;
    return EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int sha512Update(void *context, const uint8_t *data, size_t len, void *)
{
    return EVP_DigestUpdate(static_cast<EVP_MD_CTX *>(context), data, len) == 1 ? SG_SUCCESS : SG_ERR_UNKNOWN;
}

int sha512Final(void *context, signal_buffer **output, void *)
{
    auto *ctx = static_cast<EVP_MD_CTX *>(context);
    uint8_t out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    // libsignal reuses the context after final (fingerprints hash in rounds), so start it over.
    if (EVP_DigestFinal_ex(ctx, out, &len) != 1 || EVP_DigestInit_ex(ctx, EVP_sha512(), nullptr) != 1)
        return SG_ERR_UNKNOWN;
    *output = signal_buffer_create(out, len);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

void sha512Cleanup(void *context, void *)
{
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX *>(context));
}

const EVP_CIPHER *aesCipher(int cipher, size_t keyLen)
{
    const bool cbc = cipher == SG_CIPHER_AES_CBC_PKCS5;
    if (!cbc && cipher != SG_CIPHER_AES_CTR_NOPADDING)
        return nullptr;
    switch (keyLen) {
    case 16: return cbc ? EVP_aes_128_cbc() : EVP_aes_128_ctr();
    case 24: return cbc ? EVP_aes_192_cbc() : EVP_aes_192_ctr();
    case 32: return cbc ? EVP_aes_256_cbc() : EVP_aes_256_ctr();
    default: return nullptr;
    }
}

// AES-CBC with PKCS#7 padding or AES-CTR; a wrong key or bad padding on decrypt is an error, not a crash.
int aesCrypt(bool encrypt, signal_buffer **output, int cipher, const uint8_t *key, size_t keyLen, const uint8_t *iv,
             size_t ivLen, const uint8_t *input, size_t inputLen)
{
    const EVP_CIPHER *evpCipher = aesCipher(cipher, keyLen);
    if (!evpCipher || ivLen != 16 || inputLen > size_t(INT32_MAX) - 32)
        return SG_ERR_INVAL;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (!ctx)
        return SG_ERR_NOMEM;
    signal_buffer *out = signal_buffer_alloc(inputLen + 16);
    int rc = out ? SG_SUCCESS : SG_ERR_NOMEM;
    int len = 0;
    int finalLen = 0;
    static constexpr uint8_t kEmpty = 0;
    if (rc == SG_SUCCESS &&
        (EVP_CipherInit_ex(ctx, evpCipher, nullptr, key, iv, encrypt ? 1 : 0) != 1 ||
         EVP_CipherUpdate(ctx, signal_buffer_data(out), &len, input ? input : &kEmpty, int(inputLen)) != 1 ||
         EVP_CipherFinal_ex(ctx, signal_buffer_data(out) + len, &finalLen) != 1))
        rc = SG_ERR_UNKNOWN;
    EVP_CIPHER_CTX_free(ctx);
    if (rc != SG_SUCCESS) {
        signal_buffer_free(out);
        return rc;
    }
    // signal_buffer has no "shrink"; copy the used part so signal_buffer_len is exact.
    *output = signal_buffer_create(signal_buffer_data(out), size_t(len + finalLen));
    signal_buffer_bzero_free(out);
    return *output ? SG_SUCCESS : SG_ERR_NOMEM;
}

int encryptFunc(signal_buffer **output, int cipher, const uint8_t *key, size_t keyLen, const uint8_t *iv, size_t ivLen,
                const uint8_t *plaintext, size_t plaintextLen, void *)
{
    return aesCrypt(true, output, cipher, key, keyLen, iv, ivLen, plaintext, plaintextLen);
}

int decryptFunc(signal_buffer **output, int cipher, const uint8_t *key, size_t keyLen, const uint8_t *iv, size_t ivLen,
                const uint8_t *ciphertext, size_t ciphertextLen, void *)
{
    return aesCrypt(false, output, cipher, key, keyLen, iv, ivLen, ciphertext, ciphertextLen);
}

} // namespace

signal_crypto_provider opensslSignalCryptoProvider()
{
    signal_crypto_provider provider = {};
    provider.random_func = randomFunc;
    provider.hmac_sha256_init_func = hmacInit;
    provider.hmac_sha256_update_func = hmacUpdate;
    provider.hmac_sha256_final_func = hmacFinal;
    provider.hmac_sha256_cleanup_func = hmacCleanup;
    provider.sha512_digest_init_func = sha512Init;
    provider.sha512_digest_update_func = sha512Update;
    provider.sha512_digest_final_func = sha512Final;
    provider.sha512_digest_cleanup_func = sha512Cleanup;
    provider.encrypt_func = encryptFunc;
    provider.decrypt_func = decryptFunc;
    return provider;
}

} // namespace atende::server::whatsapp
