// The Message codec (PROTOCOL.md §8.5): every kind we model parses into MessageContent, wrappers unwrap,
// unknown content keeps its field number, and what we build reads back.

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/message_content.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/proto/wa_message.pb.h"
#include "tests/support/status_assertions.h"

#include <gtest/gtest.h>

namespace atende::server::whatsapp {
namespace {

using test::isError;
using test::isOk;
using Kind = MessageContent::Kind;

MessageContent parsed(const proto::Message &m)
{
    auto r = parseMessage(QByteArray::fromStdString(m.SerializeAsString()));
    EXPECT_TRUE(isOk(r));
    return r.ok() ? r.value() : MessageContent{};
}

proto::MessageKey key(const char *id, bool fromMe = false)
{
    proto::MessageKey k;
    k.set_remote_jid("15550000002@s.whatsapp.net");
    k.set_from_me(fromMe);
    k.set_id(id);
    return k;
}

TEST(MessageContent, PlainAndExtendedText)
{
    proto::Message plain;
    plain.set_conversation("olá, tudo bem?");
    const MessageContent text = parsed(plain);
    EXPECT_EQ(text.kind, Kind::Text);
    EXPECT_EQ(text.text, QStringLiteral("olá, tudo bem?"));
    EXPECT_FALSE(text.quote);

    proto::Message reply;
    auto *ext = reply.mutable_extended_text_message();
    ext->set_text("sim");
    auto *context = ext->mutable_context_info();
    context->set_stanza_id("3EB0QUOTED");
    context->set_participant("15550000002@s.whatsapp.net");
    context->mutable_quoted_message()->set_conversation("tudo bem?");
    context->add_mentioned_jid("15550000003@s.whatsapp.net");
    context->set_is_forwarded(true);
    const MessageContent quoted = parsed(reply);
    EXPECT_EQ(quoted.kind, Kind::Text);
    EXPECT_EQ(quoted.text, QStringLiteral("sim"));
    ASSERT_TRUE(quoted.quote);
    EXPECT_EQ(quoted.quote->stanzaId, QStringLiteral("3EB0QUOTED"));
    EXPECT_EQ(quoted.quote->participant, QStringLiteral("15550000002@s.whatsapp.net"));
    EXPECT_EQ(quoted.quote->text, QStringLiteral("tudo bem?"));
    EXPECT_EQ(quoted.mentions, QStringList{QStringLiteral("15550000003@s.whatsapp.net")});
    EXPECT_TRUE(quoted.forwarded);
}

TEST(MessageContent, BuiltTextReadsBack)
{
    const auto plain = parseMessage(buildTextMessage(QStringLiteral("hi")));
    ASSERT_TRUE(isOk(plain));
    EXPECT_EQ(plain->kind, Kind::Text);
    EXPECT_EQ(plain->text, QStringLiteral("hi"));
    EXPECT_EQ(buildTextMessage(QStringLiteral("hi")).toHex(), QByteArray("0a026869")); // §7.4 example

    const OutgoingQuote quote{QStringLiteral("3EB0ABC"), QStringLiteral("15551234567@s.whatsapp.net"),
                              QStringLiteral("hi")};
    const auto reply = parseMessage(buildTextMessage(QStringLiteral("reply"), quote));
    ASSERT_TRUE(isOk(reply));
    EXPECT_EQ(reply->text, QStringLiteral("reply"));
    ASSERT_TRUE(reply->quote);
    EXPECT_EQ(reply->quote->stanzaId, quote.stanzaId);
    EXPECT_EQ(reply->quote->participant, quote.participant);
    EXPECT_EQ(reply->quote->text, quote.text);
}

TEST(MessageContent, ReactionRevokeAndEdit)
{
    proto::Message reaction;
    *reaction.mutable_reaction_message()->mutable_key() = key("3EB0TARGET", true);
    reaction.mutable_reaction_message()->set_text("\xf0\x9f\x91\x8d");
    reaction.mutable_reaction_message()->set_sender_timestamp_ms(1700000000000LL);
    const MessageContent r = parsed(reaction);
    EXPECT_EQ(r.kind, Kind::Reaction);
    EXPECT_EQ(r.reaction, QString::fromUtf8("\xf0\x9f\x91\x8d"));
    ASSERT_TRUE(r.target);
    EXPECT_EQ(r.target->id, QStringLiteral("3EB0TARGET"));
    EXPECT_TRUE(r.target->fromMe);
    EXPECT_EQ(r.timestampMs, 1700000000000LL);

    proto::Message removed = reaction;
    removed.mutable_reaction_message()->set_text("");
    EXPECT_TRUE(parsed(removed).reaction.isEmpty());

    proto::Message revoke;
    revoke.mutable_protocol_message()->set_type(proto::ProtocolMessage::REVOKE);
    *revoke.mutable_protocol_message()->mutable_key() = key("3EB0GONE");
    const MessageContent gone = parsed(revoke);
    EXPECT_EQ(gone.kind, Kind::Revoke);
    EXPECT_EQ(gone.target->id, QStringLiteral("3EB0GONE"));
    EXPECT_EQ(gone.target->remoteJid, QStringLiteral("15550000002@s.whatsapp.net"));

    // Edit: editedMessage(58){ message{ protocolMessage{MESSAGE_EDIT, key, editedMessage{…}, timestampMS} } }
    proto::Message edit;
    auto *protocol = edit.mutable_edited_message()->mutable_message()->mutable_protocol_message();
    protocol->set_type(proto::ProtocolMessage::MESSAGE_EDIT);
    *protocol->mutable_key() = key("3EB0EDITED", true);
    protocol->mutable_edited_message()->set_conversation("fixed typo");
    protocol->set_timestamp_ms(1700000001000LL);
    const MessageContent edited = parsed(edit);
    EXPECT_EQ(edited.kind, Kind::Edit);
    EXPECT_EQ(edited.text, QStringLiteral("fixed typo"));
    EXPECT_EQ(edited.target->id, QStringLiteral("3EB0EDITED"));
    EXPECT_EQ(edited.timestampMs, 1700000001000LL);
    EXPECT_EQ(edited.protocolType, 14);

    proto::Message history;
    history.mutable_protocol_message()->set_type(proto::ProtocolMessage::HISTORY_SYNC_NOTIFICATION);
    const MessageContent other = parsed(history);
    EXPECT_EQ(other.kind, Kind::Protocol);
    EXPECT_EQ(other.protocolType, 5);
}

TEST(MessageContent, MediaKinds)
{
    proto::Message image;
    auto *i = image.mutable_image_message();
    i->set_mimetype("image/jpeg");
    i->set_caption("a photo");
    i->set_file_length(12345);
    i->set_file_sha256(std::string(32, 'a'));
    i->set_file_enc_sha256(std::string(32, 'b'));
    i->set_media_key(std::string(32, 'k'));
    i->set_direct_path("/v/t62.7118-24/1_2_3.enc");
    i->set_media_key_timestamp(1700000000);
    i->set_width(640);
    i->set_height(480);
    i->mutable_context_info()->set_stanza_id("3EB0Q");
    const MessageContent img = parsed(image);
    EXPECT_EQ(img.kind, Kind::Image);
    ASSERT_TRUE(img.media);
    EXPECT_EQ(img.media->mimetype, QStringLiteral("image/jpeg"));
    EXPECT_EQ(img.media->caption, QStringLiteral("a photo"));
    EXPECT_EQ(img.media->fileLength, 12345u);
    EXPECT_EQ(img.media->fileSha256, QByteArray(32, 'a'));
    EXPECT_EQ(img.media->fileEncSha256, QByteArray(32, 'b'));
    EXPECT_EQ(img.media->mediaKey, QByteArray(32, 'k'));
    EXPECT_EQ(img.media->directPath, QStringLiteral("/v/t62.7118-24/1_2_3.enc"));
    EXPECT_EQ(img.media->mediaKeyTimestamp, 1700000000);
    EXPECT_EQ(img.media->width, 640u);
    ASSERT_TRUE(img.quote);
    EXPECT_EQ(img.quote->stanzaId, QStringLiteral("3EB0Q"));

    proto::Message video;
    video.mutable_video_message()->set_mimetype("video/mp4");
    video.mutable_video_message()->set_seconds(12);
    video.mutable_video_message()->set_gif_playback(true);
    video.mutable_video_message()->set_caption("clip");
    const MessageContent vid = parsed(video);
    EXPECT_EQ(vid.kind, Kind::Video);
    EXPECT_EQ(vid.media->seconds, 12u);
    EXPECT_TRUE(vid.media->gif);
    EXPECT_EQ(vid.media->caption, QStringLiteral("clip"));

    proto::Message audio;
    audio.mutable_audio_message()->set_mimetype("audio/ogg; codecs=opus");
    audio.mutable_audio_message()->set_ptt(true);
    audio.mutable_audio_message()->set_seconds(7);
    audio.mutable_audio_message()->set_file_length(4096);
    const MessageContent voice = parsed(audio);
    EXPECT_EQ(voice.kind, Kind::Audio);
    EXPECT_TRUE(voice.media->voiceNote);
    EXPECT_EQ(voice.media->seconds, 7u);
    EXPECT_EQ(voice.media->fileLength, 4096u);

    // documentWithCaptionMessage(53) wraps the document.
    proto::Message document;
    auto *d = document.mutable_document_with_caption_message()->mutable_message()->mutable_document_message();
    d->set_mimetype("application/pdf");
    d->set_file_name("invoice.pdf");
    d->set_title("Invoice");
    d->set_caption("here it is");
    d->set_file_length(99999);
    const MessageContent doc = parsed(document);
    EXPECT_EQ(doc.kind, Kind::Document);
    EXPECT_EQ(doc.media->fileName, QStringLiteral("invoice.pdf"));
    EXPECT_EQ(doc.media->title, QStringLiteral("Invoice"));
    EXPECT_EQ(doc.media->caption, QStringLiteral("here it is"));
    EXPECT_EQ(doc.media->fileLength, 99999u);

    proto::Message sticker;
    sticker.mutable_sticker_message()->set_mimetype("image/webp");
    sticker.mutable_sticker_message()->set_is_animated(true);
    sticker.mutable_sticker_message()->set_file_sha256(std::string(32, 's'));
    const MessageContent st = parsed(sticker);
    EXPECT_EQ(st.kind, Kind::Sticker);
    EXPECT_TRUE(st.media->animated);
    EXPECT_EQ(st.media->mimetype, QStringLiteral("image/webp"));
    EXPECT_EQ(st.media->fileSha256, QByteArray(32, 's'));

    proto::Message location;
    location.mutable_location_message()->set_degrees_latitude(-23.5505);
    location.mutable_location_message()->set_degrees_longitude(-46.6333);
    location.mutable_location_message()->set_name("Praça da Sé");
    location.mutable_location_message()->set_address("São Paulo");
    const MessageContent loc = parsed(location);
    EXPECT_EQ(loc.kind, Kind::Location);
    ASSERT_TRUE(loc.location);
    EXPECT_DOUBLE_EQ(loc.location->latitude, -23.5505);
    EXPECT_DOUBLE_EQ(loc.location->longitude, -46.6333);
    EXPECT_EQ(loc.location->name, QStringLiteral("Praça da Sé"));
    EXPECT_EQ(loc.location->address, QStringLiteral("São Paulo"));

    proto::Message contact;
    contact.mutable_contact_message()->set_display_name("Maria");
    contact.mutable_contact_message()->set_vcard("BEGIN:VCARD\nFN:Maria\nEND:VCARD");
    const MessageContent card = parsed(contact);
    EXPECT_EQ(card.kind, Kind::Contact);
    EXPECT_EQ(card.contact->displayName, QStringLiteral("Maria"));
    EXPECT_TRUE(card.contact->vcard.startsWith(QStringLiteral("BEGIN:VCARD")));
}

TEST(MessageContent, WrappersUnwrap)
{
    proto::Message inner;
    inner.set_conversation("secret");
    proto::Message viewOnce;
    *viewOnce.mutable_view_once_message_v2()->mutable_message() = inner;
    const MessageContent once = parsed(viewOnce);
    EXPECT_EQ(once.kind, Kind::Text);
    EXPECT_TRUE(once.viewOnce);

    proto::Message ephemeral;
    *ephemeral.mutable_ephemeral_message()->mutable_message() = viewOnce;
    const MessageContent both = parsed(ephemeral);
    EXPECT_EQ(both.text, QStringLiteral("secret"));
    EXPECT_TRUE(both.ephemeral);
    EXPECT_TRUE(both.viewOnce);

    // Our own other device sent "secret" to a customer (§7.10), built the way we build it.
    proto::Message withContext = inner;
    withContext.mutable_message_context_info()->set_message_secret(std::string(32, 'm'));
    const QByteArray dsmBytes = buildDeviceSentMessage(QStringLiteral("15550000002@s.whatsapp.net"),
                                                       QByteArray::fromStdString(withContext.SerializeAsString()));
    proto::Message dsm;
    ASSERT_TRUE(dsm.ParseFromArray(dsmBytes.data(), int(dsmBytes.size())));
    EXPECT_EQ(dsm.message_context_info().message_secret(), std::string(32, 'm')); // copied outside (§7.4)
    const auto sent = parseMessage(dsmBytes);
    ASSERT_TRUE(isOk(sent));
    EXPECT_EQ(sent->kind, Kind::Text);
    EXPECT_EQ(sent->text, QStringLiteral("secret"));
    EXPECT_EQ(sent->deviceSentTo, QStringLiteral("15550000002@s.whatsapp.net"));
}

TEST(MessageContent, SenderKeyDistribution)
{
    const QByteArray skdm = QByteArray::fromHex("3308d2091000");
    const auto alone = parseMessage(buildSenderKeyDistributionMessage(QStringLiteral("1203@g.us"), skdm));
    ASSERT_TRUE(isOk(alone));
    EXPECT_EQ(alone->kind, Kind::SenderKeyDistributionOnly);
    ASSERT_TRUE(alone->senderKeyDistribution);
    EXPECT_EQ(alone->senderKeyDistribution->groupId, QStringLiteral("1203@g.us"));
    EXPECT_EQ(alone->senderKeyDistribution->distributionMessage, skdm);

    proto::Message withText;
    withText.set_conversation("hello group");
    withText.mutable_sender_key_distribution_message()->set_group_id("1203@g.us");
    withText.mutable_sender_key_distribution_message()->set_axolotl_sender_key_distribution_message(skdm.toStdString());
    const MessageContent both = parsed(withText);
    EXPECT_EQ(both.kind, Kind::Text);
    EXPECT_EQ(both.senderKeyDistribution->distributionMessage, skdm);
}

TEST(MessageContent, UnknownContentKeepsItsFieldNumber)
{
    // pollCreationMessageV3 (64) with a name: not modelled.
    const QByteArray poll = QByteArray::fromHex("8204050a03616263");
    const auto unknown = parseMessage(poll);
    ASSERT_TRUE(isOk(unknown));
    EXPECT_EQ(unknown->kind, Kind::Unknown);
    EXPECT_EQ(unknown->unknownField, 64);
    EXPECT_EQ(unknown->raw, poll);

    // messageContextInfo alone is metadata, not content; an empty message is unknown field 0.
    const auto empty = parseMessage(QByteArray());
    ASSERT_TRUE(isOk(empty));
    EXPECT_EQ(empty->kind, Kind::Unknown);
    EXPECT_EQ(empty->unknownField, 0);
    // A field number above 2^28 (5-byte tag).
    const auto big = parseMessage(QByteArray::fromHex("f8ffffff0f01"));
    ASSERT_TRUE(isOk(big));
    EXPECT_EQ(big->unknownField, (1 << 29) - 1);
}

TEST(MessageContent, MalformedAndPadded)
{
    EXPECT_TRUE(isError(parseMessage(QByteArray::fromHex("0a05ff")), errc::kMessageMalformed)); // truncated
    EXPECT_TRUE(isError(parseMessage(QByteArray::fromHex("ffffffffffffffffffff")), errc::kMessageMalformed));
    const QByteArray text = buildTextMessage(QStringLiteral("padded"));
    const auto decoded = decodeReceived(padMessageRandom(text));
    ASSERT_TRUE(isOk(decoded));
    EXPECT_EQ(decoded->text, QStringLiteral("padded"));
    EXPECT_TRUE(isError(decodeReceived(text + QByteArray(1, '\0')), errc::kMessagePaddingInvalid));

    // Wrappers nested past the limit stop unwrapping instead of recursing without end.
    proto::Message deep;
    deep.set_conversation("bottom");
    for (int i = 0; i < 20; ++i) {
        proto::Message outer;
        *outer.mutable_ephemeral_message()->mutable_message() = deep;
        deep = outer;
    }
    const MessageContent stopped = parsed(deep);
    EXPECT_EQ(stopped.kind, Kind::Unknown);
}

} // namespace
} // namespace atende::server::whatsapp
