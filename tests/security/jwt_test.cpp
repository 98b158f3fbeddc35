// Jwt + KeyRing + SigningKey: round trips, key rotation, and the hostile inputs of issue 3 item 10
// (alg none, HS256 key confusion, wrong kid, tampering, expiry, garbage).

#include "server/security/base64url.h"
#include "server/security/jwt.h"
#include "tests/support/status_assertions.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageAuthenticationCode>
#include <gtest/gtest.h>

namespace atende::server::security {
namespace {

using atende::test::isError;
using atende::test::isOk;

constexpr qint64 kNow = 1'700'000'000;

SigningKey makeKey(const char *kid)
{
    auto key = SigningKey::generate(QString::fromLatin1(kid));
    EXPECT_TRUE(isOk(key));
    return std::move(key).value();
}

KeyRing ringWith(const SigningKey &key)
{
    KeyRing ring;
    EXPECT_TRUE(isOk(ring.add(key)));
    EXPECT_TRUE(isOk(ring.setActive(key.kid())));
    return ring;
}

QJsonObject claims(qint64 exp = kNow + 900)
{
    return QJsonObject{{QStringLiteral("sub"), QStringLiteral("user-42")},
                       {QStringLiteral("tid"), QStringLiteral("tenant-7")},
                       {QStringLiteral("exp"), double(exp)}};
}

QByteArray b64(const QByteArray &s)
{
    return base64UrlEncode(s);
}
QByteArray b64(const QJsonObject &o)
{
    return base64UrlEncode(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

struct Parts {
    QByteArray header, payload, signature;
};

Parts split(const QString &token)
{
    const QList<QByteArray> p = token.toLatin1().split('.');
    EXPECT_EQ(p.size(), 3);
    return p.size() == 3 ? Parts{p[0], p[1], p[2]} : Parts{};
}

QJsonObject decodeObject(const QByteArray &part)
{
    const auto json = base64UrlDecode(part);
    EXPECT_TRUE(json.has_value());
    return QJsonDocument::fromJson(json.value_or(QByteArray())).object();
}

class JwtTest : public ::testing::Test {
protected:
    SigningKey m_key = makeKey("k1");
    Jwt m_jwt{ringWith(m_key)};
};

TEST_F(JwtTest, RoundTrip)
{
    auto token = m_jwt.sign(claims());
    ASSERT_TRUE(isOk(token));
    const Parts parts = split(*token);
    const QJsonObject header = decodeObject(parts.header);
    EXPECT_EQ(header, (QJsonObject{{QStringLiteral("alg"), QStringLiteral("EdDSA")},
                                   {QStringLiteral("typ"), QStringLiteral("JWT")},
                                   {QStringLiteral("kid"), QStringLiteral("k1")}}));
    EXPECT_FALSE(token->contains(u'=')); // base64url without padding
    EXPECT_EQ(base64UrlDecode(parts.signature)->size(), 64);

    auto verified = m_jwt.verify(QStringView(*token), kNow);
    ASSERT_TRUE(isOk(verified));
    EXPECT_EQ(*verified, claims());
    // The byte overload (an Authorization header) agrees.
    EXPECT_TRUE(isOk(m_jwt.verify(QByteArrayView(token->toLatin1()), kNow)));
}

TEST_F(JwtTest, AlgNoneIsRejected)
{
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("none")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), QStringLiteral("k1")}};
    // RFC 7519 unsecured JWT: empty signature part.
    const QByteArray unsecured = b64(header) + '.' + b64(claims()) + '.';
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(unsecured), kNow), "jwt_malformed"));
    // With some signature bytes present, the alg check itself must refuse it.
    const QByteArray withSig = b64(header) + '.' + b64(claims()) + '.' + b64(QByteArray(64, 'x'));
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(withSig), kNow), "jwt_unsupported_alg"));
    // Variants: "None", "NONE", missing alg, alg as a number.
    for (const QJsonValue &alg : {QJsonValue(QStringLiteral("None")), QJsonValue(QStringLiteral("NONE")), QJsonValue(),
                                  QJsonValue(1), QJsonValue(QStringLiteral("eddsa"))}) {
        QJsonObject h = header;
        if (alg.isNull())
            h.remove(QStringLiteral("alg"));
        else
            h.insert(QStringLiteral("alg"), alg);
        const QByteArray t = b64(h) + '.' + b64(claims()) + '.' + b64(QByteArray(64, 'x'));
        EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(t), kNow), "jwt_unsupported_alg"));
    }
}

TEST_F(JwtTest, Hs256KeyConfusionIsRejected)
{
    // The classic attack: HMAC-sign with the (public) verification key as the secret.
    const QJsonObject header{{QStringLiteral("alg"), QStringLiteral("HS256")},
                             {QStringLiteral("typ"), QStringLiteral("JWT")},
                             {QStringLiteral("kid"), QStringLiteral("k1")}};
    const QByteArray input = b64(header) + '.' + b64(claims());
    const QByteArray mac = QMessageAuthenticationCode::hash(input, m_key.rawPublicKey(), QCryptographicHash::Sha256);
    const QByteArray token = input + '.' + b64(mac);
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(token), kNow), "jwt_unsupported_alg"));
}

TEST_F(JwtTest, WrongKidIsRejected)
{
    const SigningKey other = makeKey("k2");
    const Jwt otherJwt(ringWith(other));
    auto token = otherJwt.sign(claims());
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(*token), kNow), "jwt_unknown_kid"));

    // A token signed by k2 but relabelled as k1 fails the signature check.
    Parts p = split(*token);
    QJsonObject h = decodeObject(p.header);
    h.insert(QStringLiteral("kid"), QStringLiteral("k1"));
    const QByteArray relabelled = b64(h) + '.' + p.payload + '.' + p.signature;
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(relabelled), kNow), "jwt_bad_signature"));

    // kid missing or not a string.
    h.remove(QStringLiteral("kid"));
    EXPECT_TRUE(
        isError(m_jwt.verify(QByteArrayView(b64(h) + '.' + p.payload + '.' + p.signature), kNow), "jwt_malformed"));
    h.insert(QStringLiteral("kid"), 1);
    EXPECT_TRUE(
        isError(m_jwt.verify(QByteArrayView(b64(h) + '.' + p.payload + '.' + p.signature), kNow), "jwt_malformed"));
}

TEST_F(JwtTest, TamperedPayloadIsRejected)
{
    auto token = m_jwt.sign(claims());
    ASSERT_TRUE(token.ok());
    const Parts p = split(*token);
    QJsonObject c = decodeObject(p.payload);
    c.insert(QStringLiteral("tid"), QStringLiteral("tenant-8")); // another tenant
    const QByteArray forged = p.header + '.' + b64(c) + '.' + p.signature;
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(forged), kNow), "jwt_bad_signature"));
}

TEST_F(JwtTest, TamperedSignatureIsRejected)
{
    auto token = m_jwt.sign(claims());
    ASSERT_TRUE(token.ok());
    const Parts p = split(*token);
    const QByteArray sig = *base64UrlDecode(p.signature);
    for (int i : {0, 31, 63}) {
        QByteArray flipped = sig;
        flipped[i] = char(flipped[i] ^ 0x01);
        const QByteArray forged = p.header + '.' + p.payload + '.' + b64(flipped);
        EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(forged), kNow), "jwt_bad_signature")) << i;
    }
    // Truncated and extended signatures.
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(p.header + '.' + p.payload + '.' + b64(sig.left(63))), kNow),
                        "jwt_bad_signature"));
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(p.header + '.' + p.payload + '.' + b64(sig + 'x')), kNow),
                        "jwt_bad_signature"));
    // A non-canonical encoding of the same signature (unused low bits set) is not accepted either.
    QByteArray nonCanonical = p.signature;
    const char last = nonCanonical.back();
    nonCanonical.back() = last == 'A' ? 'B' : char(last + 1);
    EXPECT_FALSE(m_jwt.verify(QByteArrayView(p.header + '.' + p.payload + '.' + nonCanonical), kNow).ok());
}

TEST_F(JwtTest, ExpiryAndNotBefore)
{
    auto token = m_jwt.sign(claims(kNow + 60));
    ASSERT_TRUE(token.ok());
    EXPECT_TRUE(isOk(m_jwt.verify(QStringView(*token), kNow + 59)));
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(*token), kNow + 60), "jwt_expired"));
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(*token), kNow + 100000), "jwt_expired"));

    QJsonObject c = claims();
    c.insert(QStringLiteral("nbf"), double(kNow + 30));
    auto early = m_jwt.sign(c);
    ASSERT_TRUE(early.ok());
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(*early), kNow), "jwt_not_yet_valid"));
    EXPECT_TRUE(isOk(m_jwt.verify(QStringView(*early), kNow + 30)));

    // Leeway tolerates small clock skew between instances.
    JwtValidation lenient;
    lenient.leewaySeconds = 60;
    const Jwt skewed(ringWith(m_key), lenient);
    EXPECT_TRUE(isOk(skewed.verify(QStringView(*token), kNow + 100)));
    EXPECT_TRUE(isError(skewed.verify(QStringView(*token), kNow + 120), "jwt_expired"));
    EXPECT_TRUE(isOk(skewed.verify(QStringView(*early), kNow - 20)));
}

TEST_F(JwtTest, ExpiryIsRequiredAndMustBeNumeric)
{
    QJsonObject noExp = claims();
    noExp.remove(QStringLiteral("exp"));
    EXPECT_TRUE(isError(m_jwt.sign(noExp), "invalid_argument"));

    // Hand-signed tokens (with the real key) whose claims are wrong in shape.
    const auto signRaw = [&](const QJsonObject &c) {
        const QJsonObject h{{QStringLiteral("alg"), QStringLiteral("EdDSA")},
                            {QStringLiteral("kid"), QStringLiteral("k1")}};
        const QByteArray input = b64(h) + '.' + b64(c);
        return input + '.' + b64(m_key.sign(input).value());
    };
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(signRaw(noExp)), kNow), "jwt_malformed"));
    QJsonObject stringExp = claims();
    stringExp.insert(QStringLiteral("exp"), QStringLiteral("9999999999"));
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(signRaw(stringExp)), kNow), "jwt_malformed"));
    // A correctly signed but non-object payload.
    const QJsonObject h{{QStringLiteral("alg"), QStringLiteral("EdDSA")},
                        {QStringLiteral("kid"), QStringLiteral("k1")}};
    const QByteArray input = b64(h) + '.' + b64(QByteArrayLiteral("[1,2,3]"));
    EXPECT_TRUE(
        isError(m_jwt.verify(QByteArrayView(input + '.' + b64(m_key.sign(input).value())), kNow), "jwt_malformed"));
    // "crit" extensions are refused even when signed.
    QJsonObject critHeader = h;
    critHeader.insert(QStringLiteral("crit"), QJsonArray{QStringLiteral("exp")});
    const QByteArray critInput = b64(critHeader) + '.' + b64(claims());
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(critInput + '.' + b64(m_key.sign(critInput).value())), kNow),
                        "jwt_malformed"));
}

TEST_F(JwtTest, IssuerAndAudience)
{
    JwtValidation strict;
    strict.issuer = QStringLiteral("atende");
    strict.audience = QStringLiteral("atende-api");
    const Jwt jwt(ringWith(m_key), strict);

    auto token = jwt.sign(claims());
    ASSERT_TRUE(token.ok());
    const QJsonObject c = decodeObject(split(*token).payload);
    EXPECT_EQ(c.value(QStringLiteral("iss")).toString(), QStringLiteral("atende"));
    EXPECT_TRUE(isOk(jwt.verify(QStringView(*token), kNow)));

    // m_jwt has no issuer/audience configured: its tokens fail the strict verifier.
    auto plain = m_jwt.sign(claims());
    ASSERT_TRUE(plain.ok());
    EXPECT_TRUE(isError(jwt.verify(QStringView(*plain), kNow), "jwt_wrong_issuer"));

    QJsonObject wrongIss = claims();
    wrongIss.insert(QStringLiteral("iss"), QStringLiteral("evil"));
    EXPECT_TRUE(isError(jwt.verify(QStringView(jwt.sign(wrongIss).value()), kNow), "jwt_wrong_issuer"));

    QJsonObject wrongAud = claims();
    wrongAud.insert(QStringLiteral("aud"), QStringLiteral("other-service"));
    EXPECT_TRUE(isError(jwt.verify(QStringView(jwt.sign(wrongAud).value()), kNow), "jwt_wrong_audience"));

    QJsonObject audList = claims();
    audList.insert(QStringLiteral("aud"), QJsonArray{QStringLiteral("x"), QStringLiteral("atende-api")});
    EXPECT_TRUE(isOk(jwt.verify(QStringView(jwt.sign(audList).value()), kNow)));
}

TEST_F(JwtTest, GarbageInputs)
{
    auto good = m_jwt.sign(claims());
    ASSERT_TRUE(good.ok());
    const Parts p = split(*good);
    const QList<QByteArray> garbage = {
        QByteArray(),
        QByteArrayLiteral("."),
        QByteArrayLiteral(".."),
        QByteArrayLiteral("abc"),
        p.header + '.' + p.payload,                                         // 2 parts
        p.header + '.' + p.payload + '.' + p.signature + '.' + p.signature, // 4 parts
        p.header + '.' + p.payload + '.' + p.signature + '.',
        '.' + p.payload + '.' + p.signature,
        p.header + ".." + p.signature,
        QByteArrayLiteral("!!!.###.$$$"),
        QByteArrayLiteral("a b.c d.e f"),
        p.header + "=." + p.payload + '.' + p.signature, // padding is not base64url-without-padding
        p.header + '.' + p.payload + '.' + p.signature + "==",
        QByteArray(p.header).replace('-', '+') + "+/." + p.payload + '.' + p.signature,
        b64(QByteArrayLiteral("not json")) + '.' + p.payload + '.' + p.signature,
        b64(QByteArrayLiteral("[\"EdDSA\"]")) + '.' + p.payload + '.' + p.signature,
        b64(QByteArrayLiteral("\"EdDSA\"")) + '.' + p.payload + '.' + p.signature,
        QByteArray(Jwt::kMaxTokenLength + 1, 'A'),
        p.header + '.' + QByteArray(Jwt::kMaxTokenLength, 'A') + '.' + p.signature, // huge
        QByteArray("\0\0.\0.\0", 7),
    };
    for (const QByteArray &t : garbage) {
        const auto r = m_jwt.verify(QByteArrayView(t), kNow);
        EXPECT_FALSE(r.ok()) << t.left(80).toStdString();
        if (!r.ok()) {
            EXPECT_TRUE(r.error().code.startsWith(QLatin1String("jwt_"))) << r.error().code.toStdString();
        }
    }
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(garbage.at(4)), kNow), "jwt_malformed"));
    EXPECT_TRUE(isError(m_jwt.verify(QByteArrayView(garbage.at(5)), kNow), "jwt_malformed"));
    // Non-ASCII text never reaches the decoder.
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(QString(*good).replace(0, 1, u'\u00e9')), kNow), "jwt_malformed"));
    EXPECT_TRUE(isError(m_jwt.verify(QStringView(QString(20000, u'a')), kNow), "jwt_malformed"));
}

TEST(JwtKeyRotation, OldKeyVerifiesNewKeySigns)
{
    const SigningKey k1 = makeKey("2024-01");
    KeyRing ring = ringWith(k1);
    Jwt jwt(ring);
    auto oldToken = jwt.sign(claims());
    ASSERT_TRUE(oldToken.ok());

    const SigningKey k2 = makeKey("2024-02");
    ASSERT_TRUE(isOk(jwt.keyRing().rotateTo(k2)));
    auto newToken = jwt.sign(claims());
    ASSERT_TRUE(newToken.ok());
    EXPECT_EQ(decodeObject(split(*newToken).header).value(QStringLiteral("kid")).toString(), QStringLiteral("2024-02"));
    EXPECT_TRUE(isOk(jwt.verify(QStringView(*oldToken), kNow)));
    EXPECT_TRUE(isOk(jwt.verify(QStringView(*newToken), kNow)));

    // Once the old key is retired, its tokens stop working; the new ones keep working.
    EXPECT_TRUE(jwt.keyRing().remove(QStringLiteral("2024-01")));
    EXPECT_TRUE(isError(jwt.verify(QStringView(*oldToken), kNow), "jwt_unknown_kid"));
    EXPECT_TRUE(isOk(jwt.verify(QStringView(*newToken), kNow)));

    // Removing the active key leaves nothing to sign with.
    EXPECT_TRUE(jwt.keyRing().remove(QStringLiteral("2024-02")));
    EXPECT_TRUE(isError(jwt.sign(claims()), "jwt_no_signing_key"));
}

TEST(JwtKeyRing, RejectsDuplicatesAndVerifyOnlyActive)
{
    const SigningKey k1 = makeKey("k1");
    KeyRing ring;
    ASSERT_TRUE(isOk(ring.add(k1)));
    EXPECT_FALSE(ring.add(makeKey("k1")).ok());
    EXPECT_FALSE(ring.setActive(QStringLiteral("missing")).ok());

    auto publicOnly = SigningKey::fromPublicKey(QStringLiteral("pub"), k1.rawPublicKey());
    ASSERT_TRUE(isOk(publicOnly));
    EXPECT_FALSE(publicOnly->canSign());
    EXPECT_TRUE(publicOnly->rawPrivateKey().isEmpty());
    ASSERT_TRUE(isOk(ring.add(*publicOnly)));
    EXPECT_FALSE(ring.setActive(QStringLiteral("pub")).ok());
    EXPECT_EQ(ring.kids(), (QStringList{QStringLiteral("k1"), QStringLiteral("pub")}));

    EXPECT_FALSE(SigningKey::generate(QString()).ok());
    EXPECT_FALSE(SigningKey::generate(QStringLiteral("has space")).ok());
    EXPECT_FALSE(SigningKey::fromPrivateKey(QStringLiteral("k"), QByteArray(31, 'a')).ok());
}

TEST(JwtKeys, SerialisedPrivateKeyRestoresTheSameKey)
{
    const SigningKey original = makeKey("k1");
    const QByteArray raw = original.rawPrivateKey();
    ASSERT_EQ(raw.size(), 32);
    auto restored = SigningKey::fromPrivateKey(QStringLiteral("k1"), raw);
    ASSERT_TRUE(isOk(restored));
    EXPECT_EQ(restored->rawPublicKey(), original.rawPublicKey());

    // A token signed before a restart verifies after it, and vice versa.
    const Jwt before(ringWith(original));
    const Jwt after(ringWith(*restored));
    auto t1 = before.sign(claims());
    auto t2 = after.sign(claims());
    ASSERT_TRUE(t1.ok() && t2.ok());
    EXPECT_TRUE(isOk(after.verify(QStringView(*t1), kNow)));
    EXPECT_TRUE(isOk(before.verify(QStringView(*t2), kNow)));
    // Ed25519 is deterministic: same key, same claims, same token.
    EXPECT_EQ(*t1, *t2);
}

TEST(JwtKeys, Rfc8032TestVector)
{
    // RFC 8032 §7.1 TEST 1: empty message.
    const QByteArray secret = QByteArray::fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    auto key = SigningKey::fromPrivateKey(QStringLiteral("rfc"), secret);
    ASSERT_TRUE(isOk(key));
    EXPECT_EQ(key->rawPublicKey().toHex(),
              QByteArrayLiteral("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
    auto sig = key->sign(QByteArrayView());
    ASSERT_TRUE(isOk(sig));
    EXPECT_EQ(sig->toHex(), QByteArrayLiteral("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                              "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    EXPECT_TRUE(key->verify(QByteArrayView(), *sig));
}

TEST(Base64Url, StrictDecoding)
{
    EXPECT_EQ(base64UrlEncode(QByteArrayLiteral("\xfb\xff")), QByteArrayLiteral("-_8"));
    EXPECT_EQ(base64UrlDecode("-_8"), QByteArrayLiteral("\xfb\xff"));
    EXPECT_FALSE(base64UrlDecode("-_9").has_value());  // non-canonical trailing bits
    EXPECT_FALSE(base64UrlDecode("+/8").has_value());  // standard alphabet
    EXPECT_FALSE(base64UrlDecode("-_8=").has_value()); // padding
    EXPECT_FALSE(base64UrlDecode("A").has_value());    // impossible length
    EXPECT_EQ(base64UrlDecode(""), QByteArray());
}

} // namespace
} // namespace atende::server::security
