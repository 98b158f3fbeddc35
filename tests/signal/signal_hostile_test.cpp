// Malformed Signal bytes: truncations, bit flips, random junk and wrong types. Never a crash, always one of
// the stable error codes, and a failed decrypt leaves the account as it was.

#include "test_peer.h"

#include "server/signal/error_codes.h"
#include "server/whatsapp/crypto.h"
#include "tests/support/await.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>
#include <set>

namespace atende::test {
namespace {

using namespace server::signal;

const std::set<QString> kDecryptErrors = {
    QString::fromLatin1(errc::kInvalidMessage),  QString::fromLatin1(errc::kBadMac),
    QString::fromLatin1(errc::kInvalidKey),      QString::fromLatin1(errc::kInvalidVersion),
    QString::fromLatin1(errc::kLegacyMessage),   QString::fromLatin1(errc::kDuplicateMessage),
    QString::fromLatin1(errc::kInvalidPreKeyId), QString::fromLatin1(errc::kNoSession),
    QString::fromLatin1(errc::kNoSenderKey)};

class SignalHostileTest : public ::testing::Test {
protected:
    SignalContext context;
    TestPeer alice{context, SignalAddress{QStringLiteral("15550000001"), 3}};
    TestPeer bob{context, SignalAddress{QStringLiteral("15550000002"), 5}};
    const QString group = QStringLiteral("120363000000000001@g.us");

    // Every mutation of `good` fails cleanly or (rarely, for bytes outside the MAC'd part) decrypts.
    template <typename Decrypt> void mutate(const QByteArray &good, Decrypt decrypt)
    {
        QList<QByteArray> variants = {QByteArray(), QByteArray(1, '\x33'), QByteArray(200, '\0')};
        for (qsizetype n = 1; n < good.size(); n += 7)
            variants.append(good.first(n));
        for (qsizetype i = 0; i < good.size(); ++i) {
            QByteArray flipped = good;
            flipped[i] = char(flipped.at(i) ^ (1 << (i % 8)));
            variants.append(flipped);
        }
        for (int i = 0; i < 50; ++i)
            variants.append(QByteArray(1, '\x33') + server::whatsapp::crypto::randomBytes(1 + i * 5));
        variants.append(good + QByteArray(40, 'x'));
        for (const QByteArray &bytes : variants) {
            const auto code = decrypt(bytes);
            if (code) {
                EXPECT_TRUE(kDecryptErrors.contains(*code)) << code->toStdString();
            }
        }
    }
};

TEST_F(SignalHostileTest, MalformedOneToOneMessages)
{
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(bob.address, bob.bundle())));
    auto pkmsg = alice.account->encrypt(bob.address, "pk");
    ASSERT_TRUE(isOk(pkmsg));
    (void)bob.account->takePendingChanges();
    const auto decryptAs = [this](EncType type) {
        return [this, type](const QByteArray &bytes) -> std::optional<QString> {
            auto r = bob.account->decrypt(alice.address, type, bytes);
            if (r.ok()) {
                // A flip outside the authenticated part (e.g. the registration id) still decrypts.
                (void)bob.account->takePendingChanges();
                return std::nullopt;
            }
            EXPECT_FALSE(bob.account->hasPendingChanges());
            return r.error().code;
        };
    };
    mutate(pkmsg->bytes, decryptAs(EncType::PreKeyMessage));
    mutate(pkmsg->bytes, decryptAs(EncType::Message)); // the wrong enc type for these bytes

    // With a session in place, a real msg mutated.
    auto fresh = std::make_unique<TestPeer>(context, bob.address);
    ASSERT_TRUE(isOk(alice.account->processPreKeyBundle(fresh->address, fresh->bundle())));
    auto opening = alice.account->encrypt(fresh->address, "open");
    ASSERT_TRUE(isOk(fresh->account->decrypt(alice.address, opening->type, opening->bytes)));
    auto reply = fresh->account->encrypt(alice.address, "reply");
    ASSERT_TRUE(isOk(alice.account->decrypt(fresh->address, reply->type, reply->bytes)));
    auto msg = alice.account->encrypt(fresh->address, "msg");
    ASSERT_TRUE(isOk(msg));
    ASSERT_EQ(msg->type, EncType::Message);
    (void)fresh->account->takePendingChanges();
    mutate(msg->bytes, [&](const QByteArray &bytes) -> std::optional<QString> {
        auto r = fresh->account->decrypt(alice.address, EncType::Message, bytes);
        if (r.ok()) {
            ADD_FAILURE() << "a mutated msg decrypted"; // every byte of a msg is under the MAC
            return std::nullopt;
        }
        EXPECT_FALSE(fresh->account->hasPendingChanges());
        return r.error().code;
    });
    // The untouched message still decrypts: no failed attempt advanced the ratchet.
    auto plain = fresh->account->decrypt(alice.address, EncType::Message, msg->bytes);
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(plain->plaintext, QByteArray("msg"));

    EXPECT_TRUE(
        isError(fresh->account->decrypt(alice.address, EncType::SenderKeyMessage, msg->bytes), errc::kInvalidType));
}

TEST_F(SignalHostileTest, MalformedGroupMessagesAndDistributions)
{
    auto skdm = alice.account->createSenderKeyDistribution(group, alice.address);
    ASSERT_TRUE(isOk(skdm));
    mutate(*skdm, [&](const QByteArray &bytes) -> std::optional<QString> {
        auto r = bob.account->processSenderKeyDistribution(QStringLiteral("junk@g.us"), alice.address, bytes);
        return r.ok() ? std::nullopt : std::optional<QString>(r.error().code);
    });
    ASSERT_TRUE(isOk(bob.account->processSenderKeyDistribution(group, alice.address, *skdm)));
    auto skmsg = alice.account->encryptGroup(group, alice.address, "group");
    ASSERT_TRUE(isOk(skmsg));
    (void)bob.account->takePendingChanges();
    mutate(*skmsg, [&](const QByteArray &bytes) -> std::optional<QString> {
        auto r = bob.account->decryptGroup(group, alice.address, bytes);
        if (r.ok()) {
            ADD_FAILURE() << "a mutated skmsg decrypted"; // every byte is under the signature
            return std::nullopt;
        }
        EXPECT_FALSE(bob.account->hasPendingChanges());
        return r.error().code;
    });
    auto plain = bob.account->decryptGroup(group, alice.address, *skmsg);
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(*plain, QByteArray("group"));
}

TEST_F(SignalHostileTest, CorruptStoredRecordsFailCleanly)
{
    SignalSnapshot snapshot;
    snapshot.sessions[alice.address] = QByteArray("not a session record");
    snapshot.senderKeys[SenderKeyName{group, alice.address}] = QByteArray("\x0a\x05junk", 7);
    SignalAccount damaged(context, nullptr, bob.credentials, snapshot);
    auto encrypted = damaged.encrypt(alice.address, "x");
    ASSERT_FALSE(encrypted.ok());
    EXPECT_TRUE(kDecryptErrors.contains(encrypted.error().code) ||
                encrypted.error().code == QLatin1String(errc::kInternal));
    auto decrypted = damaged.decryptGroup(group, alice.address, QByteArray(80, '\x33'));
    EXPECT_FALSE(decrypted.ok());
    EXPECT_TRUE(isError(await(damaged.flush()), errc::kInternal)); // no store given
}

} // namespace
} // namespace atende::test
