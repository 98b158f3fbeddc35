// Pairing (PROTOCOL.md §5): QR text, the pair-success ADV checks and reply, and phone-number linking codes,
// against the "qr", "adv_pairing" and "pairing_code" vectors.

#include "test_vectors.h"

#include "server/whatsapp/adv_identity.h"
#include "server/whatsapp/binary_decoder.h"
#include "server/whatsapp/binary_encoder.h"
#include "server/whatsapp/curve_signature.h"
#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/pairing_code.h"
#include "server/whatsapp/pairing_qr.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {
namespace {

std::string hex(const QByteArray &b)
{
    return b.toHex().toStdString();
}
std::string hexv(std::initializer_list<const char *> path)
{
    return hex(vectorHex(path));
}
QByteArray adv(const char *key)
{
    return vectorHex({"adv_pairing", key});
}
QByteArray qbytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

TEST(WaPairingQr, VectorText)
{
    const QString text = pairingQrText(vectorString({"qr", "ref"}).toUtf8(), vectorHex({"keys", "client_static_pub"}),
                                       adv("companion_identity_pub"), adv("adv_secret"), qr_platform::kChrome);
    EXPECT_EQ(text, vectorString({"qr", "example"}));
    EXPECT_EQ(QString::fromLatin1(adv("adv_secret").toBase64()), vectorString({"adv_pairing", "adv_secret_b64"}));
}

TEST(WaAdv, SignedMessagesAndProtobufsAreByteExact)
{
    const QByteArray details = adv("adv_device_identity_details");
    proto::ADVDeviceIdentity identityDetails;
    ASSERT_TRUE(identityDetails.ParseFromString(details.toStdString()));
    EXPECT_EQ(identityDetails.key_index(), 7u);
    EXPECT_EQ(hex(qbytes(identityDetails.SerializeAsString())), hex(details));

    const QByteArray accountMessage = adv::accountSignatureMessage(details, adv("companion_identity_pub"), false);
    EXPECT_EQ(hex(accountMessage), hexv({"adv_pairing", "account_signature_msg"}));
    EXPECT_TRUE(verifyCurveSignature(adv("account_pub"), accountMessage, adv("account_signature")));

    proto::ADVSignedDeviceIdentity identity;
    identity.set_details(details.toStdString());
    identity.set_account_signature_key(adv("account_pub").toStdString());
    identity.set_account_signature(adv("account_signature").toStdString());
    EXPECT_EQ(hex(qbytes(identity.SerializeAsString())), hexv({"adv_pairing", "adv_signed_device_identity"}));

    const QByteArray hmac = adv::identityHmac(adv("adv_signed_device_identity"), adv("adv_secret"), proto::E2EE);
    EXPECT_EQ(hex(hmac), hexv({"adv_pairing", "hmac"}));
    proto::ADVSignedDeviceIdentityHMAC container;
    container.set_details(adv("adv_signed_device_identity").toStdString());
    container.set_hmac(hmac.toStdString());
    EXPECT_EQ(hex(qbytes(container.SerializeAsString())), hexv({"adv_pairing", "adv_signed_device_identity_hmac"}));

    const QByteArray deviceMessage =
        adv::deviceSignatureMessage(details, adv("companion_identity_pub"), adv("account_pub"));
    EXPECT_EQ(hex(deviceMessage), hexv({"adv_pairing", "device_signature_msg"}));
    EXPECT_TRUE(verifyCurveSignature(adv("companion_identity_pub"), deviceMessage, adv("device_signature_by_baileys")));
}

TEST(WaAdv, PairSuccessStanzaToReplyNode)
{
    const QByteArray stanza = adv("pair_success_stanza_encoded");
    auto node = BinaryDecoder::decodeFrame(stanza);
    ASSERT_TRUE(node.ok()) << node.error().code.toStdString();
    EXPECT_EQ(hex(BinaryEncoder::encodeFrame(*node).value()), hex(stanza));
    EXPECT_EQ(node->tag, QStringLiteral("iq"));
    EXPECT_EQ(node->attributeString(u"type"), QStringLiteral("set"));
    EXPECT_EQ(node->attributeJid(u"from"), Jid::serverJid());
    const Node *success = node->child(u"pair-success");
    ASSERT_NE(success, nullptr);
    ASSERT_NE(success->child(u"device-identity"), nullptr);
    ASSERT_NE(success->child(u"platform"), nullptr);
    ASSERT_NE(success->child(u"device"), nullptr);
    EXPECT_EQ(success->child(u"platform")->attributeString(u"name"), QStringLiteral("android"));
    const Node *device = success->child(u"device");
    EXPECT_EQ(device->attributeJid(u"jid")->toString(), vectorString({"adv_pairing", "me_after_pairing", "id"}));
    EXPECT_EQ(device->attributeJid(u"lid")->toString(), vectorString({"adv_pairing", "me_after_pairing", "lid"}));
    const QByteArray deviceIdentity = success->child(u"device-identity")->bytes();
    EXPECT_EQ(hex(deviceIdentity), hexv({"adv_pairing", "adv_signed_device_identity_hmac"}));

    // Steps 1-4.
    auto paired = adv::verifyPairSuccess(deviceIdentity, adv("adv_secret"), adv("companion_identity_pub"));
    ASSERT_TRUE(paired.ok()) << paired.error().code.toStdString();
    EXPECT_EQ(paired->details.key_index(), 7u);
    EXPECT_EQ(hex(qbytes(paired->identity.account_signature_key())), hexv({"adv_pairing", "account_pub"}));

    // Step 5: our (randomised) device signature verifies.
    CurveSigner signer;
    ASSERT_TRUE(adv::signDevice(*paired, adv("companion_identity_priv"), adv("companion_identity_pub"), signer).ok());
    EXPECT_TRUE(verifyCurveSignature(adv("companion_identity_pub"), adv("device_signature_msg"),
                                     qbytes(paired->identity.device_signature())));

    // Step 7 with Baileys' signature in place of ours gives the vector reply byte for byte.
    paired->identity.set_device_signature(adv("device_signature_by_baileys").toStdString());
    const QByteArray reply = adv::replyIdentityBytes(paired->identity);
    EXPECT_EQ(hex(reply), hexv({"adv_pairing", "reply_adv_signed_device_identity_without_account_key"}));
    EXPECT_EQ(QString::number(paired->details.key_index()), vectorString({"adv_pairing", "reply_key_index"}));
    const Node replyNode = adv::pairDeviceSignReply(node->attributeString(u"id"), reply, paired->details.key_index());
    EXPECT_EQ(hex(BinaryEncoder::encodeFrame(replyNode).value()), hexv({"adv_pairing", "reply_node_encoded"}));
    EXPECT_EQ(replyNode, BinaryDecoder::decodeFrame(adv("reply_node_encoded")).value());
}

TEST(WaAdv, RejectsEveryBrokenPairSuccess)
{
    const QByteArray container = adv("adv_signed_device_identity_hmac");
    const QByteArray identityPub = adv("companion_identity_pub");
    const auto code = [&](const QByteArray &bytes, const QByteArray &secret) {
        auto r = adv::verifyPairSuccess(bytes, secret, identityPub);
        return r.ok() ? std::string() : r.error().code.toStdString();
    };
    EXPECT_EQ(code(container, adv("adv_secret")), std::string());
    EXPECT_EQ(code(QByteArray::fromHex("ffff"), adv("adv_secret")), errc::kAdvMalformed);
    EXPECT_EQ(code(container, QByteArray(32, '\1')), errc::kAdvHmacMismatch);
    QByteArray badHmac = container;
    badHmac[badHmac.size() - 1] = char(badHmac[badHmac.size() - 1] ^ 1);
    EXPECT_EQ(code(badHmac, adv("adv_secret")), errc::kAdvHmacMismatch);
    // Our own identity key differs from the one the phone signed.
    EXPECT_EQ(adv::verifyPairSuccess(container, adv("adv_secret"), adv("account_pub")).error().code,
              QLatin1String(errc::kAdvSignatureMismatch));

    // A correctly MACed container around a bad account signature, a short key and a non-protobuf body.
    const auto wrap = [&](const std::string &identityBytes, proto::ADVEncryptionType type = proto::E2EE) {
        proto::ADVSignedDeviceIdentityHMAC c;
        c.set_details(identityBytes);
        c.set_hmac(adv::identityHmac(qbytes(identityBytes), adv("adv_secret"), type).toStdString());
        if (type == proto::HOSTED)
            c.set_account_type(type);
        return qbytes(c.SerializeAsString());
    };
    proto::ADVSignedDeviceIdentity identity;
    identity.ParseFromString(adv("adv_signed_device_identity").toStdString());
    proto::ADVSignedDeviceIdentity tampered = identity;
    std::string sig = tampered.account_signature();
    sig[5] = char(sig[5] ^ 1);
    tampered.set_account_signature(sig);
    EXPECT_EQ(code(wrap(tampered.SerializeAsString()), adv("adv_secret")), errc::kAdvSignatureMismatch);
    proto::ADVSignedDeviceIdentity shortKey = identity;
    shortKey.set_account_signature_key(std::string(31, 'k'));
    EXPECT_EQ(code(wrap(shortKey.SerializeAsString()), adv("adv_secret")), errc::kAdvSignatureMismatch);
    EXPECT_EQ(code(wrap(std::string("\xff\xff", 2)), adv("adv_secret")), errc::kAdvMalformed);
    // Hosted accounts MAC with the 06 05 prefix; the E2EE signature prefix still applies (device type E2EE).
    EXPECT_EQ(code(wrap(identity.SerializeAsString(), proto::HOSTED), adv("adv_secret")), std::string());
    EXPECT_NE(hex(adv::identityHmac("x", adv("adv_secret"), proto::HOSTED)),
              hex(adv::identityHmac("x", adv("adv_secret"), proto::E2EE)));
}

TEST(WaAdv, HostedDeviceUsesTheHostedAccountPrefix)
{
    // Sign a hosted-device identity with the vectors' account key and check the 06 05 prefix is required.
    proto::ADVDeviceIdentity d;
    d.set_raw_id(1);
    d.set_key_index(2);
    d.set_device_type(proto::HOSTED);
    const QByteArray details = qbytes(d.SerializeAsString());
    const QByteArray identityPub = adv("companion_identity_pub");
    CurveSigner signer;
    for (const bool signHosted : {true, false}) {
        proto::ADVSignedDeviceIdentity identity;
        identity.set_details(details.toStdString());
        identity.set_account_signature_key(adv("account_pub").toStdString());
        const QByteArray message = adv::accountSignatureMessage(details, identityPub, signHosted);
        EXPECT_EQ(hex(message.first(2)), signHosted ? "0605" : "0600");
        identity.set_account_signature(signer.sign(adv("account_priv"), message).value().toStdString());
        proto::ADVSignedDeviceIdentityHMAC c;
        c.set_details(identity.SerializeAsString());
        c.set_hmac(adv::identityHmac(qbytes(c.details()), adv("adv_secret"), proto::E2EE).toStdString());
        auto r = adv::verifyPairSuccess(qbytes(c.SerializeAsString()), adv("adv_secret"), identityPub);
        EXPECT_EQ(r.ok(), signHosted);
    }
}

TEST(WaAdv, ErrorReplies)
{
    const auto reply = [](const char *code) {
        return adv::pairErrorReply(QStringLiteral("pair-2"), core::Error::make(code, QString()));
    };
    const Node hmac = reply(errc::kAdvHmacMismatch);
    EXPECT_EQ(hmac.attributeString(u"type"), QStringLiteral("error"));
    EXPECT_EQ(hmac.child(u"error")->attributeString(u"code"), QStringLiteral("401"));
    EXPECT_EQ(hmac.child(u"error")->attributeString(u"text"), QStringLiteral("hmac-mismatch"));
    EXPECT_EQ(reply(errc::kAdvSignatureMismatch).child(u"error")->attributeString(u"text"),
              QStringLiteral("signature-mismatch"));
    EXPECT_EQ(reply(errc::kAdvMalformed).child(u"error")->attributeString(u"code"), QStringLiteral("500"));
    EXPECT_TRUE(BinaryEncoder::encodeFrame(hmac).ok());
}

TEST(WaPairingCode, VectorKeyAndWrappedEphemeral)
{
    const QString code = vectorString({"pairing_code", "code"});
    const QByteArray salt = vectorHex({"pairing_code", "salt"});
    EXPECT_EQ(hex(pairing_code::codeKey(code, salt)), hexv({"pairing_code", "pbkdf2_key"}));
    auto wrapped = pairing_code::wrapEphemeral(code, salt, vectorHex({"pairing_code", "iv"}),
                                               vectorHex({"pairing_code", "companion_ephemeral_pub"}));
    ASSERT_TRUE(wrapped.ok());
    EXPECT_EQ(hex(*wrapped), hexv({"pairing_code", "wrapped_companion_ephemeral_pub_80"}));
    EXPECT_EQ(hex(pairing_code::unwrapEphemeral(code, *wrapped).value()),
              hexv({"pairing_code", "companion_ephemeral_pub"}));
    EXPECT_FALSE(pairing_code::unwrapEphemeral(code, wrapped->first(79)).ok());
    EXPECT_NE(hex(pairing_code::unwrapEphemeral(QStringLiteral("ABCD2346"), *wrapped).value()),
              hexv({"pairing_code", "companion_ephemeral_pub"}));
}

TEST(WaPairingCode, Alphabet)
{
    EXPECT_EQ(pairing_code::codeFromBytes(QByteArray(5, '\0')), QStringLiteral("11111111"));
    EXPECT_EQ(pairing_code::codeFromBytes(QByteArray(5, '\xff')), QStringLiteral("ZZZZZZZZ"));
    EXPECT_EQ(pairing_code::codeFromBytes(QByteArray::fromHex("0842108421")), QStringLiteral("22222222"));
    EXPECT_EQ(pairing_code::displayCode(QStringLiteral("ABCD2345")), QStringLiteral("ABCD-2345"));
    const QString generated = pairing_code::generateCode();
    EXPECT_EQ(generated.size(), 8);
    for (QChar c : generated)
        EXPECT_TRUE(QStringLiteral("123456789ABCDEFGHJKLMNPQRSTVWXYZ").contains(c));
}

TEST(WaPairingCode, CompanionFinishAgreesWithThePrimary)
{
    const QString code = QStringLiteral("ABCD2345");
    const crypto::KeyPair primaryEphemeral = crypto::generateX25519KeyPair();
    const crypto::KeyPair primaryIdentity = crypto::generateX25519KeyPair();
    pairing_code::FinishInput in;
    in.code = code;
    in.companionEphemeral = crypto::generateX25519KeyPair();
    in.wrappedPrimaryEphemeral =
        pairing_code::wrapEphemeral(code, crypto::randomBytes(32), crypto::randomBytes(16), primaryEphemeral.publicKey)
            .value();
    in.primaryIdentityPublicKey = primaryIdentity.publicKey;
    in.identity = crypto::generateX25519KeyPair();
    in.random = crypto::randomBytes(32);
    in.keyBundleSalt = crypto::randomBytes(32);
    in.nonce = crypto::randomBytes(12);
    auto finish = pairing_code::companionFinish(in);
    ASSERT_TRUE(finish.ok()) << finish.error().message.toStdString();
    EXPECT_EQ(finish->wrappedKeyBundle.size(), 32 + 12 + 96 + 16);

    // The phone's side: same shared secret, opens the bundle, derives the same adv secret.
    const QByteArray shared = crypto::x25519(primaryEphemeral.privateKey, in.companionEphemeral.publicKey).value();
    auto bundle = pairing_code::openKeyBundle(shared, finish->wrappedKeyBundle);
    ASSERT_TRUE(bundle.ok());
    EXPECT_EQ(*bundle, in.identity.publicKey + primaryIdentity.publicKey + in.random);
    const QByteArray identityAgreement = crypto::x25519(primaryIdentity.privateKey, in.identity.publicKey).value();
    EXPECT_EQ(pairing_code::deriveAdvSecret(shared, identityAgreement, in.random), finish->advSecret);

    in.code = QStringLiteral("ZZZZ2345"); // the wrong code yields a different key, so agreement fails
    auto wrong = pairing_code::companionFinish(in);
    if (wrong.ok()) {
        EXPECT_FALSE(pairing_code::openKeyBundle(shared, wrong->wrappedKeyBundle).ok());
    }
}

} // namespace
} // namespace atende::server::whatsapp::test
