// Our .proto subsets against the vectors: the login ClientPayload (PROTOCOL.md §3) and the Message
// encodings (§7.4, §8.5), including the padding of enc v="2".

#include "test_vectors.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/proto/wa_client_payload.pb.h"
#include "server/whatsapp/proto/wa_message.pb.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp::test {
namespace {

std::string hex(const std::string &s)
{
    return QByteArray::fromStdString(s).toHex().toStdString();
}
std::string hexv(std::initializer_list<const char *> path)
{
    return vectorHex(path).toHex().toStdString();
}

proto::Message conversation(const char *text)
{
    proto::Message m;
    m.set_conversation(text);
    return m;
}

TEST(WaProto, LoginClientPayload)
{
    // §3.1/§3.2 login payload of the vector handshake: user 15551234567, device 3, version 2.3000.1.
    proto::ClientPayload p;
    p.set_username(15551234567ULL);
    p.set_passive(true);
    auto *ua = p.mutable_user_agent();
    ua->set_platform(proto::UserAgent::WEB);
    ua->mutable_app_version()->set_primary(2);
    ua->mutable_app_version()->set_secondary(3000);
    ua->mutable_app_version()->set_tertiary(1);
    ua->set_mcc("000");
    ua->set_mnc("000");
    ua->set_os_version("0.1");
    ua->set_device("Desktop");
    ua->set_os_build_number("0.1");
    ua->set_release_channel(proto::UserAgent::RELEASE);
    ua->set_locale_language_iso_639_1("en");
    ua->set_locale_country_iso_3166_1_alpha_2("US");
    p.mutable_web_info()->set_web_sub_platform(proto::WebInfo::WEB_BROWSER);
    p.set_connect_type(proto::ClientPayload::WIFI_UNKNOWN);
    p.set_connect_reason(proto::ClientPayload::USER_ACTIVATED);
    p.set_device(3);
    p.set_pull(true);
    EXPECT_EQ(hex(p.SerializeAsString()), hexv({"client_payload_login_example"}));

    proto::ClientPayload parsed;
    ASSERT_TRUE(parsed.ParseFromString(vectorHex({"client_payload_login_example"}).toStdString()));
    EXPECT_EQ(parsed.username(), 15551234567ULL);
    EXPECT_EQ(parsed.device(), 3u);
    EXPECT_FALSE(parsed.has_device_pairing_data());
}

TEST(WaProto, MessageVectors)
{
    EXPECT_EQ(hex(conversation("hi").SerializeAsString()), hexv({"message_proto", "conversation_hi"}));

    proto::Message reply;
    reply.mutable_extended_text_message()->set_text("reply");
    auto *context = reply.mutable_extended_text_message()->mutable_context_info();
    context->set_stanza_id("3EB0ABC");
    context->set_participant("15551234567@s.whatsapp.net");
    *context->mutable_quoted_message() = conversation("hi");
    EXPECT_EQ(hex(reply.SerializeAsString()), hexv({"message_proto", "extended_text"}));

    proto::Message reaction;
    auto *r = reaction.mutable_reaction_message();
    r->mutable_key()->set_remote_jid("15551234567@s.whatsapp.net");
    r->mutable_key()->set_from_me(true);
    r->mutable_key()->set_id("3EB0ABC");
    r->set_text("\xf0\x9f\x91\x8d"); // thumbs up
    r->set_sender_timestamp_ms(1700000000000LL);
    EXPECT_EQ(hex(reaction.SerializeAsString()), hexv({"message_proto", "reaction"}));

    proto::Message dsm;
    dsm.mutable_device_sent_message()->set_destination_jid("15551234567@s.whatsapp.net");
    *dsm.mutable_device_sent_message()->mutable_message() = conversation("hi");
    EXPECT_EQ(hex(dsm.SerializeAsString()), hexv({"message_proto", "dsm"}));

    // Every vector parses and re-serializes unchanged.
    for (const char *key : {"conversation_hi", "extended_text", "reaction", "dsm"}) {
        proto::Message m;
        ASSERT_TRUE(m.ParseFromString(vectorHex({"message_proto", key}).toStdString())) << key;
        EXPECT_EQ(hex(m.SerializeAsString()), hexv({"message_proto", key})) << key;
    }
}

TEST(WaProto, MessagePadding)
{
    const QByteArray plain = QByteArray::fromStdString(conversation("hi").SerializeAsString());
    EXPECT_EQ(padMessage(plain, 3).toHex().toStdString(), hexv({"message_proto", "padded_example_pad3"}));
    EXPECT_EQ(unpadMessage(vectorHex({"message_proto", "padded_example_pad3"})).value(), plain);
    for (int i = 0; i < 200; ++i) {
        const QByteArray padded = padMessageRandom(plain);
        const int pad = quint8(padded.back());
        EXPECT_GE(pad, 1);
        EXPECT_LE(pad, 15);
        EXPECT_EQ(unpadMessage(padded).value(), plain);
    }
    EXPECT_EQ(unpadMessage(padMessage(plain, 16)).value(), plain); // Baileys pads up to 16
    const auto code = [](const char *h) {
        auto r = unpadMessage(QByteArray::fromHex(h));
        return r.ok() ? std::string() : r.error().code.toStdString();
    };
    EXPECT_EQ(code(""), errc::kMessagePaddingInvalid);
    EXPECT_EQ(code("0a00"), errc::kMessagePaddingInvalid);
    EXPECT_EQ(code("0a0505"), errc::kMessagePaddingInvalid);
    EXPECT_EQ(code("0a020303"), errc::kMessagePaddingInvalid);
    EXPECT_EQ(code("0101"), std::string()); // one byte of padding, one byte of message
}

} // namespace
} // namespace atende::server::whatsapp::test
