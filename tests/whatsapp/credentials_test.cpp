// Credentials (credentials.h) and the ClientPayloads built from them (PROTOCOL.md §3).
#include "server/whatsapp/client_payload.h"
#include "server/whatsapp/credentials.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/proto/wa_client_payload.pb.h"
#include "server/whatsapp/proto/wa_credentials.pb.h"

#include <QCryptographicHash>
#include <gtest/gtest.h>

using namespace atende::server::whatsapp;

namespace {

QByteArray bytesOf(const std::string &s)
{
    return QByteArray(s.data(), qsizetype(s.size()));
}

Credentials pairedCredentials()
{
    Credentials c = Credentials::generate();
    c.jid = Jid::parse(u"15551234567:5@s.whatsapp.net");
    c.lid = Jid::parse(u"98765432109876:5@lid");
    c.account = QByteArray("account-bytes");
    c.platform = QStringLiteral("android");
    c.businessName = QStringLiteral("Biz");
    c.pushName = QStringLiteral("Support");
    c.nextPreKeyId = 813;
    return c;
}

void expectMalformed(const QByteArray &bytes)
{
    auto parsed = Credentials::parse(bytes);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, QLatin1String(errc::kCredentialsMalformed));
}

} // namespace

TEST(WaCredentials, GenerateMakesValidKeyMaterial)
{
    const Credentials c = Credentials::generate();
    EXPECT_EQ(c.noiseKey.publicKey, crypto::x25519PublicKey(c.noiseKey.privateKey).value());
    EXPECT_EQ(c.identityKey.publicKey, crypto::x25519PublicKey(c.identityKey.privateKey).value());
    EXPECT_NE(c.noiseKey.privateKey, c.identityKey.privateKey);
    EXPECT_GE(c.registrationId, 1u);
    EXPECT_LE(c.registrationId, 16380u);
    EXPECT_EQ(c.signedPreKey.id, 1u);
    QByteArray signedMessage(1, char(0x05));
    signedMessage.append(c.signedPreKey.keyPair.publicKey);
    EXPECT_TRUE(verifyCurveSignature(c.identityKey.publicKey, signedMessage, c.signedPreKey.signature));
    EXPECT_EQ(c.advSecret.size(), 32);
    EXPECT_EQ(c.nextPreKeyId, 1u);
    EXPECT_FALSE(c.paired());
    EXPECT_NE(Credentials::generate().advSecret, c.advSecret);
}

TEST(WaCredentials, RoundTripUnpairedAndPaired)
{
    for (const Credentials &original : {Credentials::generate(), pairedCredentials()}) {
        auto parsed = Credentials::parse(original.serialize());
        ASSERT_TRUE(parsed.ok()) << parsed.error().message.toStdString();
        const Credentials &c = *parsed;
        EXPECT_EQ(c.noiseKey.privateKey, original.noiseKey.privateKey);
        EXPECT_EQ(c.noiseKey.publicKey, original.noiseKey.publicKey);
        EXPECT_EQ(c.identityKey.privateKey, original.identityKey.privateKey);
        EXPECT_EQ(c.registrationId, original.registrationId);
        EXPECT_EQ(c.signedPreKey.id, original.signedPreKey.id);
        EXPECT_EQ(c.signedPreKey.keyPair.privateKey, original.signedPreKey.keyPair.privateKey);
        EXPECT_EQ(c.signedPreKey.signature, original.signedPreKey.signature);
        EXPECT_EQ(c.advSecret, original.advSecret);
        EXPECT_EQ(c.nextPreKeyId, original.nextPreKeyId);
        EXPECT_EQ(c.jid, original.jid);
        EXPECT_EQ(c.lid, original.lid);
        EXPECT_EQ(c.account, original.account);
        EXPECT_EQ(c.platform, original.platform);
        EXPECT_EQ(c.businessName, original.businessName);
        EXPECT_EQ(c.pushName, original.pushName);
        EXPECT_EQ(c.paired(), original.paired());
    }
}

TEST(WaCredentials, MalformedInputIsRefused)
{
    expectMalformed(QByteArray("\xff\xff\xff", 3)); // not a protobuf
    expectMalformed(QByteArray());                  // no version
    const QByteArray good = pairedCredentials().serialize();
    proto::StoredCredentials record;
    ASSERT_TRUE(record.ParseFromArray(good.constData(), int(good.size())));

    auto mutated = [&](auto change) {
        proto::StoredCredentials copy = record;
        change(copy);
        return bytesOf(copy.SerializeAsString());
    };
    expectMalformed(mutated([](auto &r) { r.set_version(2); }));
    expectMalformed(mutated([](auto &r) { r.clear_noise_key(); }));
    expectMalformed(mutated([](auto &r) { r.mutable_identity_key()->set_public_key(std::string(32, 'x')); }));
    expectMalformed(mutated([](auto &r) { r.mutable_signed_pre_key()->set_private_key("short"); }));
    expectMalformed(mutated([](auto &r) { r.set_registration_id(0); }));
    expectMalformed(mutated([](auto &r) { r.set_registration_id(16381); }));
    expectMalformed(mutated([](auto &r) { r.set_signed_pre_key_signature(std::string(63, 's')); }));
    expectMalformed(mutated([](auto &r) { r.set_adv_secret(std::string(31, 'a')); }));
    expectMalformed(mutated([](auto &r) { r.set_next_pre_key_id(0); }));
    expectMalformed(mutated([](auto &r) { r.set_jid("no-at-sign"); }));
    expectMalformed(mutated([](auto &r) { r.clear_account(); }));
    // Truncation anywhere must never crash and never yield credentials with missing parts.
    for (qsizetype n = 0; n < good.size(); n += 7) {
        auto parsed = Credentials::parse(good.left(n));
        if (parsed.ok()) {
            EXPECT_EQ(parsed->serialize(), good.left(n)) << n;
        }
    }
}

TEST(WaClientPayload, RegistrationCarriesTheDeviceKeys)
{
    const Credentials c = Credentials::generate();
    SessionConfig config;
    config.deviceName = QStringLiteral("Atende Test");
    const QByteArray bytes = registrationPayload(c, config);
    proto::ClientPayload payload;
    ASSERT_TRUE(payload.ParseFromArray(bytes.constData(), int(bytes.size())));
    EXPECT_FALSE(payload.has_username());
    EXPECT_FALSE(payload.passive());
    EXPECT_FALSE(payload.pull());
    EXPECT_EQ(payload.user_agent().platform(), proto::UserAgent::WEB);
    EXPECT_EQ(payload.user_agent().app_version().tertiary(), config.versionTertiary);
    EXPECT_EQ(payload.connect_type(), proto::ClientPayload::WIFI_UNKNOWN);
    EXPECT_EQ(payload.connect_reason(), proto::ClientPayload::USER_ACTIVATED);
    EXPECT_EQ(payload.web_info().web_sub_platform(), proto::WebInfo::WEB_BROWSER);
    const auto &pairing = payload.device_pairing_data();
    const QByteArray regid = bytesOf(pairing.e_regid());
    ASSERT_EQ(regid.size(), 4);
    EXPECT_EQ((quint32(quint8(regid[2])) << 8) | quint8(regid[3]), c.registrationId);
    EXPECT_EQ(bytesOf(pairing.e_keytype()), QByteArray(1, '\x05'));
    EXPECT_EQ(bytesOf(pairing.e_ident()), c.identityKey.publicKey);
    EXPECT_EQ(bytesOf(pairing.e_skey_id()), QByteArray("\x00\x00\x01", 3));
    EXPECT_EQ(bytesOf(pairing.e_skey_val()), c.signedPreKey.keyPair.publicKey);
    EXPECT_EQ(bytesOf(pairing.e_skey_sig()), c.signedPreKey.signature);
    EXPECT_EQ(bytesOf(pairing.build_hash()),
              QCryptographicHash::hash(QByteArray("2.3000.1045649367"), QCryptographicHash::Md5));
    proto::DeviceProps props;
    ASSERT_TRUE(props.ParseFromString(pairing.device_props()));
    EXPECT_EQ(props.os(), "Atende Test");
    EXPECT_EQ(props.platform_type(), proto::DeviceProps::DESKTOP);
}

TEST(WaClientPayload, LoginNamesTheDevice)
{
    const Credentials c = pairedCredentials();
    const QByteArray bytes = loginPayload(c, SessionConfig{});
    proto::ClientPayload payload;
    ASSERT_TRUE(payload.ParseFromArray(bytes.constData(), int(bytes.size())));
    EXPECT_EQ(payload.username(), 15551234567ull);
    EXPECT_EQ(payload.device(), 5u);
    EXPECT_TRUE(payload.passive());
    EXPECT_TRUE(payload.pull());
    EXPECT_EQ(payload.lc(), 1);
    EXPECT_EQ(payload.push_name(), "Support");
    EXPECT_FALSE(payload.has_device_pairing_data());
}
