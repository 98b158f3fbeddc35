#pragma once
// Error codes of the security library, carried in atende::core::Error::code. Callers switch on them (the
// API maps every JWT code to 401, a key-file code stops the server at start-up), so each failure mode has
// its own code and none is ever renamed.

namespace atende::server::security::errc {

// Randomness / OpenSSL failures that "cannot happen" but must not crash.
inline constexpr auto kCryptoFailed = "security_crypto_failed";

// Passwords
inline constexpr auto kPasswordTooLong = "password_too_long";
inline constexpr auto kPasswordHashFailed = "password_hash_failed";

// JWT (one code per check, so the hostile-input tests can tell them apart)
inline constexpr auto kJwtMalformed = "jwt_malformed";
inline constexpr auto kJwtUnsupportedAlg = "jwt_unsupported_alg";
inline constexpr auto kJwtUnknownKid = "jwt_unknown_kid";
inline constexpr auto kJwtBadSignature = "jwt_bad_signature";
inline constexpr auto kJwtExpired = "jwt_expired";
inline constexpr auto kJwtNotYetValid = "jwt_not_yet_valid";
inline constexpr auto kJwtWrongIssuer = "jwt_wrong_issuer";
inline constexpr auto kJwtWrongAudience = "jwt_wrong_audience";
inline constexpr auto kJwtNoSigningKey = "jwt_no_signing_key";
inline constexpr auto kKeyInvalid = "security_key_invalid";

// Master key file / environment value
inline constexpr auto kKeyFileInsecure = "key_file_insecure_permissions";
inline constexpr auto kKeyFileInvalid = "key_file_invalid";
inline constexpr auto kKeyFileIo = "key_file_io";
inline constexpr auto kMasterKeyInvalid = "master_key_invalid";

// Envelope encryption
inline constexpr auto kEnvelopeMalformed = "envelope_malformed";
inline constexpr auto kEnvelopeUnsupportedVersion = "envelope_unsupported_version";
inline constexpr auto kEnvelopeWrongKey = "envelope_wrong_key";
inline constexpr auto kEnvelopeDecryptFailed = "envelope_decrypt_failed";

} // namespace atende::server::security::errc
