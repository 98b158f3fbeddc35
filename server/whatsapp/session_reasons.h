#pragma once
// Why a session left a state, as stable lower-case codes (SessionHealth::reason, stateChanged), and what
// the session does next for each (PROTOCOL.md §11.1-§11.3). The codes are API: never rename one.

#include "server/whatsapp/node.h"

#include <QString>

#include <chrono>
#include <functional>

namespace atende::server::whatsapp {

namespace reason {
// Progress (not failures)
inline constexpr QLatin1String kStarted{"started"};
inline constexpr QLatin1String kRegistering{"registering"};
inline constexpr QLatin1String kLoggingIn{"logging_in"};
inline constexpr QLatin1String kQrShown{"qr_shown"};
inline constexpr QLatin1String kPairSuccess{"pair_success"};
inline constexpr QLatin1String kLoggedIn{"logged_in"};
inline constexpr QLatin1String kReconnectScheduled{"reconnect_scheduled"};
// Server said so (§11.1, §11.2)
inline constexpr QLatin1String kStreamError515{"stream_error_515"};
inline constexpr QLatin1String kStreamError503{"stream_error_503"};
inline constexpr QLatin1String kStreamEnd{"stream_end"};
inline constexpr QLatin1String kDeviceRemoved{"device_removed"};
inline constexpr QLatin1String kReplaced{"replaced"};
// Local decisions and transport failures
inline constexpr QLatin1String kNetworkError{"network_error"};
inline constexpr QLatin1String kKeepaliveTimeout{"keepalive_timeout"};
inline constexpr QLatin1String kHandshakeTimeout{"handshake_timeout"};
inline constexpr QLatin1String kHandshakeFailed{"handshake_failed"};
inline constexpr QLatin1String kCertInvalid{"cert_invalid"};
inline constexpr QLatin1String kFrameInvalid{"frame_invalid"};
inline constexpr QLatin1String kFrameDecryptFailed{"frame_decrypt_failed"};
inline constexpr QLatin1String kNodeDecodeFailed{"node_decode_failed"};
inline constexpr QLatin1String kPairingRejected{"pairing_rejected"};
inline constexpr QLatin1String kStoreFailed{"store_failed"};
inline constexpr QLatin1String kQrRefsExhausted{"qr_refs_exhausted"};
inline constexpr QLatin1String kStopped{"stopped"};
inline constexpr QLatin1String kLoggedOut{"logged_out"};
} // namespace reason

// "stream_error_<code>" for other codes, "failure_<reason>" for <failure> (e.g. failure_401, failure_405).
QString streamErrorReason(const Node &streamError);
QString failureReason(const Node &failure);

enum class ReconnectAction {
    Immediately, // 515: restart required
    Backoff,     // transient: network, 5xx, keepalive, stream end
    Stop,        // stay Disconnected until start() (replaced, stopped, QR refs exhausted)
    Fail,        // state Failed, no retries (outdated client, banned, bad certificate...)
    LogOut,      // clear the store, state LoggedOut, no retries
};
ReconnectAction reconnectActionFor(QStringView reason);

// Exponential back-off: initial · 2^(attempt-1), capped at max, then ± jitter (a fraction, 0.2 = ±20 %).
// `attempt` counts consecutive failures from 1; `unitRandom` returns a value in [0, 1).
std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds initial, std::chrono::milliseconds max,
                                       double jitter, const std::function<double()> &unitRandom);

} // namespace atende::server::whatsapp
