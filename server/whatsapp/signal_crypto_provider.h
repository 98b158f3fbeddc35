#pragma once
// The OpenSSL 3 crypto provider libsignal-protocol-c needs (TOOLCHAIN.md pitfalls 11–13): randomness,
// HMAC-SHA256, SHA-512 and AES-CBC/CTR. One implementation for every libsignal context of the server — the
// Signal layer's (server/signal) and the curve signatures of pairing (curve_signature.h).

#include <signal/signal_protocol.h>

namespace atende::server::whatsapp {

// A filled provider (user_data null); signal_context_set_crypto_provider copies it.
signal_crypto_provider opensslSignalCryptoProvider();

} // namespace atende::server::whatsapp
