// Opaque refresh/API tokens: format, uniqueness, stable storage hash, constant-time comparison.

#include "server/security/constant_time.h"
#include "server/security/opaque_token.h"
#include "tests/support/status_assertions.h"

#include <QRegularExpression>
#include <QSet>
#include <gtest/gtest.h>

namespace atende::server::security {
namespace {

TEST(OpaqueToken, FormatAndKind)
{
    auto refresh = generateToken(TokenKind::Refresh);
    auto api = generateToken(TokenKind::Api);
    ASSERT_TRUE(atende::test::isOk(refresh));
    ASSERT_TRUE(atende::test::isOk(api));
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^atr_[A-Za-z0-9_-]{43}$")).match(*refresh).hasMatch())
        << refresh->toStdString();
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^atk_[A-Za-z0-9_-]{43}$")).match(*api).hasMatch());
    EXPECT_EQ(tokenKind(*refresh), TokenKind::Refresh);
    EXPECT_EQ(tokenKind(*api), TokenKind::Api);
}

TEST(OpaqueToken, MalformedTokensHaveNoKind)
{
    auto token = generateToken(TokenKind::Refresh);
    ASSERT_TRUE(token.ok());
    const QString body = token->mid(4);
    EXPECT_FALSE(tokenKind(QString()));
    EXPECT_FALSE(tokenKind(QStringLiteral("atr_")));
    EXPECT_FALSE(tokenKind(QStringLiteral("xyz_") + body));
    EXPECT_FALSE(tokenKind(token->chopped(1)));
    EXPECT_FALSE(tokenKind(*token + u'A'));
    EXPECT_FALSE(tokenKind(QStringLiteral("atr_") + QString(43, u'!')));
    EXPECT_FALSE(tokenKind(QStringLiteral("atr_") + QString(43, u'\u00e9')));
    EXPECT_FALSE(tokenKind(QStringLiteral("ATR_") + body));
}

TEST(OpaqueToken, TokensAreUnique)
{
    QSet<QString> seen;
    for (int i = 0; i < 2000; ++i) {
        auto t = generateToken(i % 2 ? TokenKind::Api : TokenKind::Refresh);
        ASSERT_TRUE(t.ok());
        seen.insert(t->mid(4)); // the random part alone must not repeat either
    }
    EXPECT_EQ(seen.size(), 2000);
}

TEST(OpaqueToken, HashIsStableSha256Hex)
{
    EXPECT_EQ(tokenHash(u"abc"), QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    auto token = generateToken(TokenKind::Refresh);
    ASSERT_TRUE(token.ok());
    const QString h = tokenHash(*token);
    EXPECT_EQ(h, tokenHash(QString(*token))); // same input, same hash (lookup key)
    EXPECT_EQ(h.size(), 64);
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(h).hasMatch());
    EXPECT_FALSE(h.contains(token->mid(4))); // the stored value does not contain the secret
    auto other = generateToken(TokenKind::Refresh);
    ASSERT_TRUE(other.ok());
    EXPECT_NE(tokenHash(*other), h);
}

TEST(ConstantTime, Equals)
{
    EXPECT_TRUE(constantTimeEquals("", ""));
    EXPECT_TRUE(constantTimeEquals("secret", "secret"));
    EXPECT_FALSE(constantTimeEquals("secret", "secreT"));
    EXPECT_FALSE(constantTimeEquals("Secret", "secret"));
    EXPECT_FALSE(constantTimeEquals("secret", "secret1"));
    EXPECT_FALSE(constantTimeEquals("", "a"));
    EXPECT_TRUE(constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0b", 3)));
    EXPECT_FALSE(constantTimeEquals(QByteArray("a\0b", 3), QByteArray("a\0c", 3)));
}

} // namespace
} // namespace atende::server::security
