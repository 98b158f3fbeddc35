#pragma once
// Error codes of the WhatsApp protocol layer, carried in core::Error::code. Callers switch on them (e.g. a
// certificate failure is fatal, a truncated frame means "wait for more"), so each failure mode has its own
// code and none is ever renamed.

namespace atende::server::whatsapp::errc {

// Binary nodes (§4)
inline constexpr auto kNodeTruncated = "wa_node_truncated";
inline constexpr auto kNodeMalformed = "wa_node_malformed";
inline constexpr auto kNodeInvalidToken = "wa_node_invalid_token";
inline constexpr auto kNodeTooDeep = "wa_node_too_deep";
inline constexpr auto kNodeTrailingBytes = "wa_node_trailing_bytes";
inline constexpr auto kNodeNotEncodable = "wa_node_not_encodable";
inline constexpr auto kDecompressFailed = "wa_decompress_failed";
inline constexpr auto kDecompressedTooLarge = "wa_decompressed_too_large";

// Stream framing (§1.2)
inline constexpr auto kIntroInvalid = "wa_intro_invalid";
inline constexpr auto kIntroUnsupportedDictionary = "wa_intro_unsupported_dictionary";
inline constexpr auto kFrameTooLarge = "wa_frame_too_large";

// Noise (§2)
inline constexpr auto kNoiseOutOfOrder = "wa_noise_out_of_order";
inline constexpr auto kNoiseMalformedMessage = "wa_noise_malformed_message";
inline constexpr auto kNoiseDecryptFailed = "wa_noise_decrypt_failed";
inline constexpr auto kNoiseBadKey = "wa_noise_bad_key";
inline constexpr auto kNoiseCounterExhausted = "wa_noise_counter_exhausted";
inline constexpr auto kCryptoFailed = "wa_crypto_failed";

// Server certificate chain (§2.4), one code per check.
inline constexpr auto kCertChainMalformed = "wa_cert_chain_malformed";
inline constexpr auto kCertLeafMissing = "wa_cert_leaf_missing";
inline constexpr auto kCertIntermediateMissing = "wa_cert_intermediate_missing";
inline constexpr auto kCertLeafSignatureLength = "wa_cert_leaf_signature_length";
inline constexpr auto kCertIntermediateSignatureLength = "wa_cert_intermediate_signature_length";
inline constexpr auto kCertIntermediateBadSignature = "wa_cert_intermediate_bad_signature";
inline constexpr auto kCertIntermediateDetailsMalformed = "wa_cert_intermediate_details_malformed";
inline constexpr auto kCertIntermediateWrongIssuer = "wa_cert_intermediate_wrong_issuer";
inline constexpr auto kCertIntermediateBadKey = "wa_cert_intermediate_bad_key";
inline constexpr auto kCertLeafBadSignature = "wa_cert_leaf_bad_signature";
inline constexpr auto kCertIntermediateNotYetValid = "wa_cert_intermediate_not_yet_valid";
inline constexpr auto kCertIntermediateExpired = "wa_cert_intermediate_expired";
inline constexpr auto kCertLeafDetailsMalformed = "wa_cert_leaf_details_malformed";
inline constexpr auto kCertLeafWrongIssuer = "wa_cert_leaf_wrong_issuer";
inline constexpr auto kCertLeafKeyMismatch = "wa_cert_leaf_key_mismatch";
inline constexpr auto kCertLeafNotYetValid = "wa_cert_leaf_not_yet_valid";
inline constexpr auto kCertLeafExpired = "wa_cert_leaf_expired";

// Pairing (§5). The pair-success reply maps these to 500 internal-error / 401 hmac-mismatch /
// 401 signature-mismatch.
inline constexpr auto kAdvMalformed = "wa_adv_malformed";
inline constexpr auto kAdvHmacMismatch = "wa_adv_hmac_mismatch";
inline constexpr auto kAdvSignatureMismatch = "wa_adv_signature_mismatch";
inline constexpr auto kPairingCodeInvalid = "wa_pairing_code_invalid";

// Credentials (wa_credentials.proto)
inline constexpr auto kCredentialsMalformed = "wa_credentials_malformed";

// Session (session.h)
inline constexpr auto kNotConnected = "wa_not_connected";
inline constexpr auto kIqTimeout = "wa_iq_timeout";
inline constexpr auto kIqError = "wa_iq_error";
inline constexpr auto kStoreFailed = "wa_store_failed";
inline constexpr auto kWrongState = "wa_wrong_state";

// Messages (§7.4)
inline constexpr auto kMessagePaddingInvalid = "wa_message_padding_invalid";
inline constexpr auto kMessageMalformed = "wa_message_malformed"; // decrypted bytes are not a Message (§8.5)

// Stanzas (§6.4-§8.4, §7.2, §7.3): what a parser found wrong, and bad input to a builder.
inline constexpr auto kStanzaWrongTag = "wa_stanza_wrong_tag";
inline constexpr auto kStanzaMissingAttribute = "wa_stanza_missing_attribute";
inline constexpr auto kStanzaBadJid = "wa_stanza_bad_jid";
inline constexpr auto kStanzaBadNumber = "wa_stanza_bad_number";
inline constexpr auto kStanzaNoEnc = "wa_stanza_no_enc";
inline constexpr auto kStanzaBadEnc = "wa_stanza_bad_enc";
inline constexpr auto kStanzaBadChild = "wa_stanza_bad_child";
inline constexpr auto kStanzaIqError = "wa_stanza_iq_error";
inline constexpr auto kStanzaInvalidInput = "wa_stanza_invalid_input";
inline constexpr auto kKeyBundleMalformed = "wa_key_bundle_malformed";

} // namespace atende::server::whatsapp::errc
