#include "server/security/base64url.h"

namespace atende::server::security {

namespace {

bool isAlphabet(char c, bool url)
{
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
        return true;
    return url ? (c == '-' || c == '_') : (c == '+' || c == '/');
}

std::optional<QByteArray> strictDecode(QByteArrayView text, bool url)
{
    // A length of 1 mod 4 cannot come from any byte string.
    if (text.size() % 4 == 1)
        return std::nullopt;
    for (char c : text) {
        if (!isAlphabet(c, url))
            return std::nullopt;
    }
    const auto encodeOptions =
        (url ? QByteArray::Base64UrlEncoding : QByteArray::Base64Encoding) | QByteArray::OmitTrailingEquals;
    auto decoded =
        QByteArray::fromBase64Encoding(text.toByteArray(), encodeOptions | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    // Reject non-canonical encodings (non-zero unused bits).
    if (decoded.decoded.toBase64(encodeOptions) != text)
        return std::nullopt;
    return std::move(decoded.decoded);
}

} // namespace

QByteArray base64UrlEncode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> base64UrlDecode(QByteArrayView text)
{
    return strictDecode(text, true);
}

QByteArray base64NoPadEncode(QByteArrayView data)
{
    return data.toByteArray().toBase64(QByteArray::Base64Encoding | QByteArray::OmitTrailingEquals);
}

std::optional<QByteArray> base64NoPadDecode(QByteArrayView text)
{
    return strictDecode(text, false);
}

} // namespace atende::server::security
