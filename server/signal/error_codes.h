#pragma once
// Error codes of the Signal layer, carried in core::Error::code. The connector switches on them (a duplicate
// is acked and ignored, a missing session or sender key asks for a retry, PROTOCOL.md §8.2–§8.4), so each
// failure mode has its own code and none is ever renamed.

namespace atende::server::signal::errc {

inline constexpr auto kNoSession = "signal_no_session";                 // msg without a session
inline constexpr auto kNoSenderKey = "signal_no_sender_key";            // skmsg before its SKDM
inline constexpr auto kInvalidMessage = "signal_invalid_message";       // undecodable or undecryptable bytes
inline constexpr auto kDuplicateMessage = "signal_duplicate_message";   // old counter: ack and ignore
inline constexpr auto kInvalidPreKeyId = "signal_invalid_prekey_id";    // pkmsg names a prekey we do not hold
inline constexpr auto kBadMac = "signal_bad_mac";                       // MAC check failed
inline constexpr auto kUntrustedIdentity = "signal_untrusted_identity"; // never with our trust policy
inline constexpr auto kInvalidKey = "signal_invalid_key";               // bad key bytes or bundle signature
inline constexpr auto kInvalidVersion = "signal_invalid_version";       // version byte above 3
inline constexpr auto kLegacyMessage = "signal_legacy_message";         // version byte below 3
inline constexpr auto kInvalidType = "signal_invalid_type";             // enc type other than pkmsg/msg/skmsg
inline constexpr auto kInvalidBundle = "signal_invalid_bundle";         // bundle fields missing or mis-sized
inline constexpr auto kInternal = "signal_internal";                    // allocation or crypto provider failure

} // namespace atende::server::signal::errc
