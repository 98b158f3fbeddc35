#pragma once
// An error as a value: a stable machine-readable code, a human message and optional details.
// The code strings are part of the public API (clients switch on them); never rename one.

#include <QJsonObject>
#include <QString>

namespace atende::core {

namespace errc {
inline constexpr auto kInvalidArgument = "invalid_argument";
inline constexpr auto kMalformedJson = "malformed_json";
inline constexpr auto kUnknownField = "unknown_field";
inline constexpr auto kMalformedRequest = "malformed_request";
inline constexpr auto kPayloadTooLarge = "payload_too_large";
inline constexpr auto kUnsupportedMediaType = "unsupported_media_type";
inline constexpr auto kNotFound = "not_found";
inline constexpr auto kMethodNotAllowed = "method_not_allowed";
inline constexpr auto kUnauthenticated = "unauthenticated";
inline constexpr auto kPermissionDenied = "permission_denied";
inline constexpr auto kConflict = "conflict";
inline constexpr auto kRateLimited = "rate_limited";
inline constexpr auto kUnavailable = "unavailable";
inline constexpr auto kInternal = "internal";
inline constexpr auto kShuttingDown = "shutting_down";
} // namespace errc

struct Error {
    QString code;
    QString message;
    QJsonObject details;

    static Error make(const char *code, QString message, QJsonObject details = {});
    bool operator==(const Error &) const = default;
};

} // namespace atende::core
