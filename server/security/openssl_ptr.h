#pragma once
// unique_ptr aliases for the OpenSSL handles this module uses, so every early return frees them.
// Internal to server/security.

#include <QtGlobal>
#include <openssl/evp.h>

#include <memory>

namespace atende::server::security::ossl {

struct PkeyFree {
    void operator()(EVP_PKEY *k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
    void operator()(EVP_MD_CTX *c) const { EVP_MD_CTX_free(c); }
};
struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX *c) const { EVP_CIPHER_CTX_free(c); }
};

using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// OpenSSL treats a NULL pointer as "no value" even with length 0, so empty inputs still point somewhere.
inline const unsigned char *bytes(const char *data, qsizetype size)
{
    static constexpr unsigned char kEmpty = 0;
    return size == 0 ? &kEmpty : reinterpret_cast<const unsigned char *>(data);
}

} // namespace atende::server::security::ossl
