// Envelope encryption: wrap/unwrap of data keys, encrypt/decrypt with associated data, master key
// rotation, and tampering that must fail cleanly.

#include "server/security/envelope.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>

namespace atende::server::security {
namespace {

using atende::test::isError;
using atende::test::isOk;

MasterKey master()
{
    auto k = MasterKey::generate();
    EXPECT_TRUE(isOk(k));
    return std::move(k).value();
}

DataKey dataKey()
{
    auto k = DataKey::generate();
    EXPECT_TRUE(isOk(k));
    return std::move(k).value();
}

// What a caller would bind a ciphertext to: tenant, table, purpose.
QByteArray aad()
{
    return QByteArrayLiteral("tenant:7/whatsapp_sessions/noise_key");
}

TEST(Envelope, WrapUnwrapRoundTrip)
{
    const MasterKey mk = master();
    const DataKey dk = dataKey();
    auto wrapped = Envelope::wrap(dk, mk);
    ASSERT_TRUE(isOk(wrapped));
    EXPECT_EQ(wrapped->size(), Envelope::kWrappedKeySize);
    EXPECT_EQ(quint8(wrapped->at(0)), Envelope::kVersion);
    EXPECT_EQ(Envelope::keyIdOf(*wrapped), mk.keyId());
    EXPECT_FALSE(wrapped->contains(dk.key().toByteArray()));

    auto unwrapped = Envelope::unwrap(*wrapped, mk);
    ASSERT_TRUE(isOk(unwrapped));
    EXPECT_EQ(unwrapped->keyId(), dk.keyId());
    EXPECT_EQ(unwrapped->key().toByteArray(), dk.key().toByteArray());

    // Two wraps of the same key differ (fresh nonce) but both open.
    auto again = Envelope::wrap(dk, mk);
    ASSERT_TRUE(again.ok());
    EXPECT_NE(*again, *wrapped);
    EXPECT_TRUE(isOk(Envelope::unwrap(*again, mk)));
}

TEST(Envelope, EncryptDecryptRoundTrip)
{
    const DataKey dk = dataKey();
    for (const QByteArray &plain : {QByteArray(), QByteArrayLiteral("x"), QByteArray(100000, '\x42')}) {
        auto ct = Envelope::encrypt(plain, dk, aad());
        ASSERT_TRUE(isOk(ct));
        EXPECT_EQ(ct->size(), plain.size() + Envelope::kOverhead);
        EXPECT_EQ(Envelope::keyIdOf(*ct), dk.keyId());
        auto back = Envelope::decrypt(*ct, dk, aad());
        ASSERT_TRUE(isOk(back));
        EXPECT_EQ(*back, plain);
    }
    auto a = Envelope::encrypt("same", dk, aad());
    auto b = Envelope::encrypt("same", dk, aad());
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_NE(*a, *b);
}

TEST(Envelope, WrongAssociatedDataFails)
{
    const DataKey dk = dataKey();
    auto ct = Envelope::encrypt("signal identity key", dk, aad());
    ASSERT_TRUE(ct.ok());
    // Moved to another tenant, another table, or with no context at all.
    EXPECT_TRUE(isError(Envelope::decrypt(*ct, dk, "tenant:8/whatsapp_sessions/noise_key"), "envelope_decrypt_failed"));
    EXPECT_TRUE(isError(Envelope::decrypt(*ct, dk, "tenant:7/api_tokens/noise_key"), "envelope_decrypt_failed"));
    EXPECT_TRUE(isError(Envelope::decrypt(*ct, dk, ""), "envelope_decrypt_failed"));
    EXPECT_TRUE(isError(Envelope::decrypt(*ct, dk, aad() + '\0'), "envelope_decrypt_failed"));
}

TEST(Envelope, EveryFlippedBitFails)
{
    const DataKey dk = dataKey();
    auto ct = Envelope::encrypt("secret", dk, aad());
    ASSERT_TRUE(ct.ok());
    for (qsizetype i = 0; i < ct->size(); ++i) {
        for (int bit : {0, 7}) {
            QByteArray tampered = *ct;
            tampered[i] = char(tampered[i] ^ (1 << bit));
            const auto r = Envelope::decrypt(tampered, dk, aad());
            EXPECT_FALSE(r.ok()) << "byte " << i << " bit " << bit;
        }
    }
    // Header bytes give specific errors; payload bytes fail authentication.
    QByteArray badVersion = *ct;
    badVersion[0] = 2;
    EXPECT_TRUE(isError(Envelope::decrypt(badVersion, dk, aad()), "envelope_unsupported_version"));
    QByteArray badKeyId = *ct;
    badKeyId[3] = char(badKeyId[3] ^ 1);
    EXPECT_TRUE(isError(Envelope::decrypt(badKeyId, dk, aad()), "envelope_wrong_key"));
    QByteArray badTag = *ct;
    badTag.back() = char(badTag.back() ^ 0x80);
    EXPECT_TRUE(isError(Envelope::decrypt(badTag, dk, aad()), "envelope_decrypt_failed"));
}

TEST(Envelope, TruncatedAndGarbageBlobsFail)
{
    const DataKey dk = dataKey();
    const MasterKey mk = master();
    auto ct = Envelope::encrypt("secret", dk, aad());
    auto wrapped = Envelope::wrap(dk, mk);
    ASSERT_TRUE(ct.ok() && wrapped.ok());
    for (qsizetype n = 0; n < ct->size(); ++n)
        EXPECT_FALSE(Envelope::decrypt(ct->left(n), dk, aad()).ok()) << n;
    for (qsizetype n = 0; n < wrapped->size(); ++n)
        EXPECT_FALSE(Envelope::unwrap(wrapped->left(n), mk).ok()) << n;
    EXPECT_TRUE(isError(Envelope::unwrap(*wrapped + 'x', mk), "envelope_malformed"));
    EXPECT_TRUE(isError(Envelope::decrypt(QByteArray(), dk, aad()), "envelope_malformed"));
    EXPECT_FALSE(Envelope::decrypt(QByteArray(200, '\x01'), dk, aad()).ok());
    EXPECT_FALSE(Envelope::keyIdOf("").has_value());
}

TEST(Envelope, WrongKeysFail)
{
    const MasterKey mk = master();
    const MasterKey otherMaster = master();
    const DataKey dk = dataKey();
    auto wrapped = Envelope::wrap(dk, mk);
    ASSERT_TRUE(wrapped.ok());
    EXPECT_TRUE(isError(Envelope::unwrap(*wrapped, otherMaster), "envelope_wrong_key"));

    auto ct = Envelope::encrypt("secret", dk, aad());
    ASSERT_TRUE(ct.ok());
    EXPECT_TRUE(isError(Envelope::decrypt(*ct, dataKey(), aad()), "envelope_wrong_key"));

    // Even with the key id forged to match, the wrong master key cannot open the blob.
    QByteArray forged = *wrapped;
    forged.replace(1, 8, otherMaster.keyId());
    EXPECT_TRUE(isError(Envelope::unwrap(forged, otherMaster), "envelope_decrypt_failed"));
}

TEST(Envelope, WrappedKeysAndValuesCannotBeSwapped)
{
    // A data key whose raw bytes equal the master key's: the domain labels still keep the formats apart.
    const MasterKey mk = master();
    auto twin = DataKey::fromRaw(mk.key().toByteArray());
    ASSERT_TRUE(twin.ok());
    auto wrapped = Envelope::wrap(dataKey(), mk);
    ASSERT_TRUE(wrapped.ok());
    QByteArray asValue = *wrapped;
    asValue.replace(1, 8, twin->keyId());
    EXPECT_TRUE(isError(Envelope::decrypt(asValue, *twin, ""), "envelope_decrypt_failed"));
}

TEST(Envelope, RewrapMovesKeysToTheNewMaster)
{
    const MasterKey oldMaster = master();
    const MasterKey newMaster = master();
    ASSERT_NE(oldMaster.keyId(), newMaster.keyId());
    const DataKey dk = dataKey();
    auto ct = Envelope::encrypt("whatsapp credentials", dk, aad());
    auto wrapped = Envelope::wrap(dk, oldMaster);
    ASSERT_TRUE(ct.ok() && wrapped.ok());

    auto rewrapped = Envelope::rewrap(*wrapped, oldMaster, newMaster);
    ASSERT_TRUE(isOk(rewrapped));
    EXPECT_EQ(Envelope::keyIdOf(*rewrapped), newMaster.keyId());
    EXPECT_TRUE(isError(Envelope::unwrap(*rewrapped, oldMaster), "envelope_wrong_key"));
    auto recovered = Envelope::unwrap(*rewrapped, newMaster);
    ASSERT_TRUE(isOk(recovered));
    // Data encrypted before the rotation still decrypts: only the wrapping changed.
    auto plain = Envelope::decrypt(*ct, *recovered, aad());
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(*plain, QByteArrayLiteral("whatsapp credentials"));

    // Re-running an interrupted rotation is harmless.
    auto again = Envelope::rewrap(*rewrapped, oldMaster, newMaster);
    ASSERT_TRUE(isOk(again));
    EXPECT_EQ(*again, *rewrapped);
    // A blob of some third master key is refused, not silently passed through.
    auto foreign = Envelope::wrap(dk, master());
    ASSERT_TRUE(foreign.ok());
    EXPECT_TRUE(isError(Envelope::rewrap(*foreign, oldMaster, newMaster), "envelope_wrong_key"));
}

TEST(Envelope, KnownAnswer)
{
    // Fixed keys give fixed key ids: a stored blob stays readable across releases.
    auto mk = MasterKey::fromRaw(QByteArray(32, '\x01'));
    auto dk = DataKey::fromRaw(QByteArray(32, '\x01'));
    ASSERT_TRUE(mk.ok() && dk.ok());
    EXPECT_EQ(mk->keyId().size(), 8);
    EXPECT_NE(mk->keyId(), dk->keyId()); // different domain labels
    EXPECT_EQ(MasterKey::fromRaw(QByteArray(32, '\x01'))->keyId(), mk->keyId());
    EXPECT_FALSE(DataKey::fromRaw(QByteArray(16, '\x01')).ok());
}

} // namespace
} // namespace atende::server::security
