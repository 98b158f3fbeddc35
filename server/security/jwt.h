#pragma once
// Compact JWS (RFC 7515/7519) access tokens signed with EdDSA (Ed25519) only. The header is
// {"alg":"EdDSA","kid":...,"typ":"JWT"}; verification accepts no other algorithm whatever the token says,
// so "alg":"none" and HS256-with-the-public-key confusion cannot work. Keys are looked up by kid in a
// KeyRing, never taken from the token (jku/jwk/x5u headers are ignored).
//
// verify() checks, in order (each failure has its own errc code): size and shape (exactly three non-empty
// canonical base64url parts, at most 8 KiB), header JSON object, alg, kid, signature, payload JSON object,
// exp/nbf (numeric; exp required unless disabled), iss and aud when configured. Time is passed in by the
// caller (Unix seconds) so tests need no clock tricks.

#include "common/core/result.h"
#include "server/security/key_ring.h"

#include <QByteArrayView>
#include <QJsonObject>
#include <QString>
#include <QStringView>

namespace atende::server::security {

struct JwtValidation {
    QString issuer;           // when set, sign() adds it and verify() requires "iss" to equal it
    QString audience;         // when set, sign() adds it and verify() requires "aud" (string or array) to hold it
    qint64 leewaySeconds = 0; // clock skew tolerated between instances, for exp and nbf
    bool requireExpiry = true;
};

class Jwt {
public:
    static constexpr qsizetype kMaxTokenLength = 8 * 1024;

    explicit Jwt(KeyRing keys, JwtValidation validation = {});

    KeyRing &keyRing() { return m_keys; }
    const KeyRing &keyRing() const { return m_keys; }
    const JwtValidation &validation() const { return m_validation; }

    // Signs with the ring's active key. With requireExpiry, claims without a numeric "exp" are refused
    // (an access token that never expires is a bug, not a feature).
    atende::core::Result<QString> sign(QJsonObject claims) const;

    atende::core::Result<QJsonObject> verify(QByteArrayView token, qint64 nowSeconds) const;
    atende::core::Result<QJsonObject> verify(QStringView token, qint64 nowSeconds) const;

private:
    atende::core::Status checkClaims(const QJsonObject &claims, qint64 nowSeconds) const;

    KeyRing m_keys;
    JwtValidation m_validation;
};

} // namespace atende::server::security
