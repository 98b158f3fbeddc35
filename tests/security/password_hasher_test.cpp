// PasswordHasher: Argon2id PHC strings, verification, parameter upgrades and the dummy verify that keeps
// unknown-email logins as slow as real ones.

#include "server/security/password_hasher.h"
#include "server/security/phc_string.h"
#include "tests/support/status_assertions.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>

namespace atende::server::security {
namespace {

// Cheap parameters keep most tests fast; the OWASP defaults get their own tests.
Argon2Params cheap()
{
    return Argon2Params{64, 1, 1, 16, 32};
}

TEST(PasswordHasher, DefaultsAreOwaspArgon2id)
{
    const Argon2Params p;
    EXPECT_EQ(p.memoryKiB, 19456u);
    EXPECT_EQ(p.iterations, 2u);
    EXPECT_EQ(p.parallelism, 1u);
}

TEST(PasswordHasher, HashIsPhcStringWithOurParameters)
{
    const PasswordHasher hasher;
    auto hash = hasher.hash(u"correct horse battery staple");
    ASSERT_TRUE(atende::test::isOk(hash));
    const QRegularExpression phc(
        QStringLiteral("^\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$"));
    EXPECT_TRUE(phc.match(*hash).hasMatch()) << hash->toStdString();
    EXPECT_TRUE(hasher.verify(u"correct horse battery staple", *hash));
    EXPECT_FALSE(hasher.verify(u"correct horse battery stapl", *hash));
    EXPECT_FALSE(hasher.needsRehash(*hash));
}

TEST(PasswordHasher, SaltsDiffer)
{
    const PasswordHasher hasher(cheap());
    auto a = hasher.hash(u"same");
    auto b = hasher.hash(u"same");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(*a, *b);
    EXPECT_TRUE(hasher.verify(u"same", *a));
    EXPECT_TRUE(hasher.verify(u"same", *b));
}

TEST(PasswordHasher, WrongPasswordsFail)
{
    const PasswordHasher hasher(cheap());
    auto hash = hasher.hash(u"S3nh@-forte");
    ASSERT_TRUE(hash.ok());
    EXPECT_TRUE(hasher.verify(u"S3nh@-forte", *hash));
    EXPECT_FALSE(hasher.verify(u"s3nh@-forte", *hash));
    EXPECT_FALSE(hasher.verify(u"", *hash));
    EXPECT_FALSE(hasher.verify(u"S3nh@-forte ", *hash));
}

TEST(PasswordHasher, VerifiesArgon2ReferenceVector)
{
    // The argon2id vector of the reference implementation's test suite (password "password", salt
    // "somesalt", m=64 MiB, t=2, p=1): proves we interoperate with hashes written by other tools.
    const QString reference =
        QStringLiteral("$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc");
    const PasswordHasher hasher(cheap());
    EXPECT_TRUE(hasher.verify(u"password", reference));
    EXPECT_FALSE(hasher.verify(u"Password", reference));
    EXPECT_TRUE(hasher.needsRehash(reference));
}

TEST(PasswordHasher, UnicodeIsNormalised)
{
    const PasswordHasher hasher(cheap());
    const QString composed = QStringLiteral("ma\u00e7\u00e3"); // "maçã", precomposed
    const QString decomposed = QStringLiteral("mac\u0327a\u0303");
    ASSERT_NE(composed, decomposed);
    auto hash = hasher.hash(composed);
    ASSERT_TRUE(hash.ok());
    EXPECT_TRUE(hasher.verify(decomposed, *hash));
}

TEST(PasswordHasher, NeedsRehashWhenParametersChange)
{
    const PasswordHasher old(cheap());
    auto hash = old.hash(u"pw");
    ASSERT_TRUE(hash.ok());
    EXPECT_FALSE(old.needsRehash(*hash));

    Argon2Params more = cheap();
    more.memoryKiB = 128;
    EXPECT_TRUE(PasswordHasher(more).needsRehash(*hash));
    more = cheap();
    more.iterations = 3;
    EXPECT_TRUE(PasswordHasher(more).needsRehash(*hash));
    more = cheap();
    more.parallelism = 2;
    EXPECT_TRUE(PasswordHasher(more).needsRehash(*hash));
    more = cheap();
    more.hashBytes = 64;
    EXPECT_TRUE(PasswordHasher(more).needsRehash(*hash));

    // The old hash still verifies with a hasher configured for stronger parameters.
    more = cheap();
    more.memoryKiB = 128;
    EXPECT_TRUE(PasswordHasher(more).verify(u"pw", *hash));
    EXPECT_TRUE(PasswordHasher(more).needsRehash(QStringLiteral("garbage")));
}

TEST(PasswordHasher, MalformedStoredHashesNeverMatch)
{
    const PasswordHasher hasher(cheap());
    auto good = hasher.hash(u"pw");
    ASSERT_TRUE(good.ok());
    const QStringList bad = {
        QString(),
        QStringLiteral("pw"),
        QStringLiteral("$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"),
        QStringLiteral("$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"),
        // absurd memory (would allocate 4 TiB)
        QStringLiteral("$argon2id$v=19$m=4294967295,t=1,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"),
        QStringLiteral("$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"),
        QStringLiteral("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$"),
        QStringLiteral("$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ=$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"),
        good->chopped(1),
        *good + QStringLiteral("$extra"),
    };
    for (const QString &h : bad) {
        EXPECT_FALSE(hasher.verify(u"pw", h)) << h.toStdString();
        EXPECT_TRUE(hasher.needsRehash(h)) << h.toStdString();
    }
}

TEST(PasswordHasher, PhcRoundTrip)
{
    const QByteArray text = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
    const auto phc = PhcArgon2id::parse(text);
    ASSERT_TRUE(phc.has_value());
    EXPECT_EQ(phc->memoryKiB, 65536u);
    EXPECT_EQ(phc->iterations, 2u);
    EXPECT_EQ(phc->parallelism, 1u);
    EXPECT_EQ(phc->salt, QByteArrayLiteral("somesalt"));
    EXPECT_EQ(phc->hash.size(), 32);
    EXPECT_EQ(phc->hash.toHex(), QByteArrayLiteral("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7"));
    EXPECT_EQ(phc->format(), text);
    EXPECT_FALSE(
        PhcArgon2id::parse("$argon2id$v=19$m=064,t=2,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"));
    EXPECT_FALSE(
        PhcArgon2id::parse("$argon2id$v=19$t=2,m=64,p=1$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo"));
}

TEST(PasswordHasher, OverlongPasswordsAreRefused)
{
    const PasswordHasher hasher(cheap());
    const QString huge(PasswordHasher::kMaxPasswordBytes + 1, u'a');
    EXPECT_TRUE(atende::test::isError(hasher.hash(huge), "password_too_long"));
    auto hash = hasher.hash(QString(PasswordHasher::kMaxPasswordBytes, u'a'));
    ASSERT_TRUE(hash.ok());
    EXPECT_FALSE(hasher.verify(huge, *hash));
}

TEST(PasswordHasher, DummyVerifyCostsAboutAsMuchAsVerify)
{
    const PasswordHasher hasher; // real parameters: the point is the timing
    auto hash = hasher.hash(u"pw");
    ASSERT_TRUE(hash.ok());
    // Interleaved rounds, best time of each: the minimum is what the work costs, whatever else the
    // machine (parallel ctest) is doing at the same moment.
    constexpr int kRounds = 5;
    qint64 verifyNs = std::numeric_limits<qint64>::max();
    qint64 dummyNs = std::numeric_limits<qint64>::max();
    QElapsedTimer timer;
    for (int i = 0; i < kRounds; ++i) {
        timer.start();
        EXPECT_FALSE(hasher.verify(u"wrong", *hash));
        verifyNs = std::min(verifyNs, timer.nsecsElapsed());
        timer.start();
        EXPECT_FALSE(hasher.dummyVerify(u"wrong"));
        dummyNs = std::min(dummyNs, timer.nsecsElapsed());
    }
    // Same Argon2 work, so within a generous factor even on a noisy machine.
    EXPECT_GT(dummyNs * 3, verifyNs) << "dummy " << dummyNs << " ns, verify " << verifyNs << " ns";
    EXPECT_GT(verifyNs * 3, dummyNs) << "dummy " << dummyNs << " ns, verify " << verifyNs << " ns";
}

} // namespace
} // namespace atende::server::security
