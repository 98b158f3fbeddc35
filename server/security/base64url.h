#pragma once
// Base64 without padding, in the URL alphabet (JWS, RFC 7515 §2) and the standard alphabet (PHC strings).
// Decoding is strict: only alphabet characters, no padding, and the encoding must be canonical (unused
// trailing bits zero). Without the canonical check two different strings decode to the same bytes, so a
// "tampered" token could still verify and cached token comparisons could be fooled.

#include <QByteArray>
#include <QByteArrayView>

#include <optional>

namespace atende::server::security {

QByteArray base64UrlEncode(QByteArrayView data);
std::optional<QByteArray> base64UrlDecode(QByteArrayView text);

QByteArray base64NoPadEncode(QByteArrayView data);
std::optional<QByteArray> base64NoPadDecode(QByteArrayView text);

} // namespace atende::server::security
