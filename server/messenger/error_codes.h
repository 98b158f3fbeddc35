#pragma once
// Error codes of the messaging layer (core::Error::code), stable: the connector switches on them. A send that
// could not reach the server (no connection, no ack in time) fails with whatsapp::errc::kNotConnected
// ("wa_not_connected") and may be retried with the same message id.

namespace atende::server::messenger::errc {

inline constexpr auto kPeerUnknown = "wa_peer_unknown";           // the number is not on WhatsApp (usync)
inline constexpr auto kSendRejected = "wa_send_rejected";         // the server nacked the message (ack error)
inline constexpr auto kNoDevices = "wa_no_devices";               // no device of the peer could be encrypted for
inline constexpr auto kInvalidRecipient = "wa_invalid_recipient"; // not a user JID (group, broadcast, empty)
inline constexpr auto kStoreFailed = "wa_signal_store_failed";    // the Signal state could not be written

} // namespace atende::server::messenger::errc
