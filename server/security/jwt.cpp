#include "server/security/jwt.h"

#include "server/security/base64url.h"
#include "server/security/error_codes.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>

#include <cmath>
#include <optional>

namespace atende::server::security {

namespace {

using atende::core::Error;

constexpr QLatin1String kAlg("EdDSA");

Error jwtError(const char *code, const QString &message)
{
    return Error::make(code, message);
}

std::optional<QJsonObject> parseObject(const QByteArray &json)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QByteArray encodeObject(const QJsonObject &o)
{
    return base64UrlEncode(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A NumericDate claim: absent is fine (nullopt), present must be a finite number.
std::optional<std::optional<double>> numericDate(const QJsonObject &claims, QLatin1String name)
{
    const QJsonValue v = claims.value(name);
    if (v.isUndefined())
        return std::optional<double>();
    if (!v.isDouble() || !std::isfinite(v.toDouble()))
        return std::nullopt;
    return std::optional<double>(v.toDouble());
}

bool audienceMatches(const QJsonValue &aud, const QString &expected)
{
    if (aud.isString())
        return aud.toString() == expected;
    if (!aud.isArray())
        return false;
    const QJsonArray list = aud.toArray();
    for (const QJsonValue &entry : list) {
        if (entry.isString() && entry.toString() == expected)
            return true;
    }
    return false;
}

} // namespace

Jwt::Jwt(KeyRing keys, JwtValidation validation)
    : m_keys(std::move(keys))
    , m_validation(std::move(validation))
{}

atende::core::Result<QString> Jwt::sign(QJsonObject claims) const
{
    const SigningKey *key = m_keys.active();
    if (!key)
        return jwtError(errc::kJwtNoSigningKey, QStringLiteral("no active signing key"));
    if (m_validation.requireExpiry && !claims.value(QLatin1String("exp")).isDouble())
        return Error::make(atende::core::errc::kInvalidArgument, QStringLiteral("claims need a numeric exp"));
    if (!m_validation.issuer.isEmpty() && !claims.contains(QLatin1String("iss")))
        claims.insert(QLatin1String("iss"), m_validation.issuer);
    if (!m_validation.audience.isEmpty() && !claims.contains(QLatin1String("aud")))
        claims.insert(QLatin1String("aud"), m_validation.audience);

    const QJsonObject header{{QStringLiteral("alg"), kAlg},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), key->kid()}};
    const QByteArray signingInput = encodeObject(header) + '.' + encodeObject(claims);
    auto sig = key->sign(signingInput);
    if (!sig)
        return sig.error();
    const QByteArray token = signingInput + '.' + base64UrlEncode(*sig);
    if (token.size() > kMaxTokenLength)
        return Error::make(atende::core::errc::kInvalidArgument, QStringLiteral("claims too large for a token"));
    return QString::fromLatin1(token);
}

atende::core::Result<QJsonObject> Jwt::verify(QStringView token, qint64 nowSeconds) const
{
    if (token.size() > kMaxTokenLength)
        return jwtError(errc::kJwtMalformed, QStringLiteral("token too long"));
    for (QChar c : token) {
        if (c.unicode() >= 128)
            return jwtError(errc::kJwtMalformed, QStringLiteral("token is not ASCII"));
    }
    return verify(QByteArrayView(token.toLatin1()), nowSeconds);
}

atende::core::Result<QJsonObject> Jwt::verify(QByteArrayView token, qint64 nowSeconds) const
{
    // 1. Shape. Checked before any decoding so garbage costs almost nothing.
    if (token.isEmpty() || token.size() > kMaxTokenLength)
        return jwtError(errc::kJwtMalformed, QStringLiteral("token empty or too long"));
    const qsizetype dot1 = token.indexOf('.');
    const qsizetype dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot1 <= 0 || dot2 <= dot1 + 1 || dot2 == token.size() - 1 || token.indexOf('.', dot2 + 1) >= 0)
        return jwtError(errc::kJwtMalformed, QStringLiteral("token must have three non-empty parts"));
    const QByteArrayView headerPart = token.first(dot1);
    const QByteArrayView payloadPart = token.sliced(dot1 + 1, dot2 - dot1 - 1);
    const QByteArrayView signaturePart = token.sliced(dot2 + 1);
    const auto headerJson = base64UrlDecode(headerPart);
    const auto payloadJson = base64UrlDecode(payloadPart);
    const auto signature = base64UrlDecode(signaturePart);
    if (!headerJson || !payloadJson || !signature)
        return jwtError(errc::kJwtMalformed, QStringLiteral("token part is not base64url"));

    // 2. Header: our algorithm only, kid required, no extensions we would have to understand.
    const auto header = parseObject(*headerJson);
    if (!header)
        return jwtError(errc::kJwtMalformed, QStringLiteral("header is not a JSON object"));
    const QJsonValue alg = header->value(QLatin1String("alg"));
    if (!alg.isString() || alg.toString() != kAlg)
        return jwtError(errc::kJwtUnsupportedAlg, QStringLiteral("only EdDSA tokens are accepted"));
    const QJsonValue typ = header->value(QLatin1String("typ"));
    if (!typ.isUndefined() && (!typ.isString() || typ.toString() != QLatin1String("JWT")))
        return jwtError(errc::kJwtMalformed, QStringLiteral("unexpected typ"));
    if (header->contains(QLatin1String("crit")))
        return jwtError(errc::kJwtMalformed, QStringLiteral("critical header extensions are not supported"));
    const QJsonValue kid = header->value(QLatin1String("kid"));
    if (!kid.isString())
        return jwtError(errc::kJwtMalformed, QStringLiteral("kid missing"));

    // 3. Key and signature, before the payload is even parsed.
    const SigningKey *key = m_keys.find(kid.toString());
    if (!key)
        return jwtError(errc::kJwtUnknownKid, QStringLiteral("unknown key id"));
    const QByteArrayView signingInput = token.first(dot2);
    if (!key->verify(signingInput, *signature))
        return jwtError(errc::kJwtBadSignature, QStringLiteral("signature does not verify"));

    // 4. Claims.
    const auto claims = parseObject(*payloadJson);
    if (!claims)
        return jwtError(errc::kJwtMalformed, QStringLiteral("payload is not a JSON object"));
    if (auto checked = checkClaims(*claims, nowSeconds); !checked)
        return checked.error();
    return *claims;
}

atende::core::Status Jwt::checkClaims(const QJsonObject &claims, qint64 nowSeconds) const
{
    const auto exp = numericDate(claims, QLatin1String("exp"));
    const auto nbf = numericDate(claims, QLatin1String("nbf"));
    if (!exp || !nbf)
        return jwtError(errc::kJwtMalformed, QStringLiteral("exp/nbf must be numbers"));
    const double now = double(nowSeconds);
    const double leeway = double(m_validation.leewaySeconds);
    if (!exp->has_value() && m_validation.requireExpiry)
        return jwtError(errc::kJwtMalformed, QStringLiteral("exp missing"));
    if (exp->has_value() && now >= **exp + leeway)
        return jwtError(errc::kJwtExpired, QStringLiteral("token expired"));
    if (nbf->has_value() && now + leeway < **nbf)
        return jwtError(errc::kJwtNotYetValid, QStringLiteral("token not yet valid"));
    if (!m_validation.issuer.isEmpty()) {
        const QJsonValue iss = claims.value(QLatin1String("iss"));
        if (!iss.isString() || iss.toString() != m_validation.issuer)
            return jwtError(errc::kJwtWrongIssuer, QStringLiteral("wrong issuer"));
    }
    if (!m_validation.audience.isEmpty() && !audienceMatches(claims.value(QLatin1String("aud")), m_validation.audience))
        return jwtError(errc::kJwtWrongAudience, QStringLiteral("wrong audience"));
    return {};
}

} // namespace atende::server::security
