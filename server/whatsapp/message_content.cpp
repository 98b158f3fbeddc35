#include "server/whatsapp/message_content.h"

#include "server/whatsapp/error_codes.h"
#include "server/whatsapp/message_padding.h"
#include "server/whatsapp/proto/wa_message.pb.h"

#include <climits>

namespace atende::server::whatsapp {

namespace {

using Kind = MessageContent::Kind;

// Wrappers nest (a DSM around an ephemeral around a viewOnce …); real messages stay within a few levels.
constexpr int kMaxUnwrap = 8;
constexpr int kProtocolRevoke = 0;
constexpr int kProtocolEdit = 14;

QString str(const std::string &s)
{
    return QString::fromStdString(s);
}

QByteArray bytes(const std::string &s)
{
    return QByteArray::fromStdString(s);
}

// The number of the first field in protobuf's kept unknown-field bytes (its first tag), 0 if none.
int firstUnknownField(const std::string &unknown)
{
    quint64 tag = 0;
    int shift = 0;
    for (const char c : unknown) {
        tag |= quint64(quint8(c) & 0x7F) << shift;
        if (!(quint8(c) & 0x80))
            return tag >> 3 <= quint64(INT_MAX) ? int(tag >> 3) : 0;
        shift += 7;
        if (shift > 63)
            return 0;
    }
    return 0;
}

QString textOf(const proto::Message &m)
{
    if (m.has_conversation())
        return str(m.conversation());
    if (m.has_extended_text_message())
        return str(m.extended_text_message().text());
    if (m.has_image_message())
        return str(m.image_message().caption());
    if (m.has_video_message())
        return str(m.video_message().caption());
    if (m.has_document_message())
        return str(m.document_message().caption());
    if (m.has_document_with_caption_message())
        return textOf(m.document_with_caption_message().message());
    return {};
}

void readContext(const proto::ContextInfo &context, MessageContent &out)
{
    if (context.has_stanza_id() || context.has_quoted_message())
        out.quote = QuoteInfo{str(context.stanza_id()), str(context.participant()), textOf(context.quoted_message())};
    for (const std::string &jid : context.mentioned_jid())
        out.mentions.append(str(jid));
    out.forwarded = context.is_forwarded();
}

MessageRef refOf(const proto::MessageKey &key)
{
    return MessageRef{str(key.remote_jid()), key.from_me(), str(key.id()), str(key.participant())};
}

template <typename M> MediaInfo commonMedia(const M &m)
{
    MediaInfo media;
    media.mimetype = str(m.mimetype());
    media.fileLength = m.file_length();
    media.fileSha256 = bytes(m.file_sha256());
    media.fileEncSha256 = bytes(m.file_enc_sha256());
    media.mediaKey = bytes(m.media_key());
    media.directPath = str(m.direct_path());
    media.url = str(m.url());
    media.mediaKeyTimestamp = m.media_key_timestamp();
    return media;
}

// Fills `out` from the first content field of `m`; false when `m` holds none we model.
bool readContent(const proto::Message &m, MessageContent &out)
{
    if (m.has_protocol_message()) {
        const proto::ProtocolMessage &p = m.protocol_message();
        out.protocolType = p.type();
        out.timestampMs = p.timestamp_ms();
        if (p.has_key())
            out.target = refOf(p.key());
        if (p.type() == kProtocolRevoke && p.has_key()) {
            out.kind = Kind::Revoke;
        } else if (p.type() == kProtocolEdit && p.has_key()) {
            out.kind = Kind::Edit;
            out.text = textOf(p.edited_message());
        } else {
            out.kind = Kind::Protocol;
        }
        return true;
    }
    if (m.has_reaction_message()) {
        const proto::ReactionMessage &r = m.reaction_message();
        out.kind = Kind::Reaction;
        out.target = refOf(r.key());
        out.reaction = str(r.text());
        out.timestampMs = r.sender_timestamp_ms();
        return true;
    }
    if (m.has_conversation()) {
        out.kind = Kind::Text;
        out.text = str(m.conversation());
        return true;
    }
    if (m.has_extended_text_message()) {
        out.kind = Kind::Text;
        out.text = str(m.extended_text_message().text());
        readContext(m.extended_text_message().context_info(), out);
        return true;
    }
    if (m.has_image_message()) {
        const proto::ImageMessage &i = m.image_message();
        out.kind = Kind::Image;
        out.media = commonMedia(i);
        out.media->caption = str(i.caption());
        out.media->width = i.width();
        out.media->height = i.height();
        out.media->thumbnail = bytes(i.jpeg_thumbnail());
        out.viewOnce = out.viewOnce || i.view_once();
        readContext(i.context_info(), out);
        return true;
    }
    if (m.has_video_message()) {
        const proto::VideoMessage &v = m.video_message();
        out.kind = Kind::Video;
        out.media = commonMedia(v);
        out.media->caption = str(v.caption());
        out.media->seconds = v.seconds();
        out.media->gif = v.gif_playback();
        out.media->width = v.width();
        out.media->height = v.height();
        out.media->thumbnail = bytes(v.jpeg_thumbnail());
        readContext(v.context_info(), out);
        return true;
    }
    if (m.has_audio_message()) {
        const proto::AudioMessage &a = m.audio_message();
        out.kind = Kind::Audio;
        out.media = commonMedia(a);
        out.media->seconds = a.seconds();
        out.media->voiceNote = a.ptt();
        readContext(a.context_info(), out);
        return true;
    }
    if (m.has_document_message()) {
        const proto::DocumentMessage &d = m.document_message();
        out.kind = Kind::Document;
        out.media = commonMedia(d);
        out.media->caption = str(d.caption());
        out.media->fileName = str(d.file_name());
        out.media->title = str(d.title());
        out.media->thumbnail = bytes(d.jpeg_thumbnail());
        readContext(d.context_info(), out);
        return true;
    }
    if (m.has_sticker_message()) {
        const proto::StickerMessage &s = m.sticker_message();
        out.kind = Kind::Sticker;
        out.media = commonMedia(s);
        out.media->width = s.width();
        out.media->height = s.height();
        out.media->animated = s.is_animated();
        out.media->thumbnail = bytes(s.png_thumbnail());
        readContext(s.context_info(), out);
        return true;
    }
    if (m.has_location_message()) {
        const proto::LocationMessage &l = m.location_message();
        out.kind = Kind::Location;
        out.location = LocationInfo{l.degrees_latitude(), l.degrees_longitude(), str(l.name()),
                                    str(l.address()),     str(l.url()),          l.is_live()};
        readContext(l.context_info(), out);
        return true;
    }
    if (m.has_contact_message()) {
        const proto::ContactMessage &c = m.contact_message();
        out.kind = Kind::Contact;
        out.contact = ContactCard{str(c.display_name()), str(c.vcard())};
        readContext(c.context_info(), out);
        return true;
    }
    return false;
}

// One level of wrapping around the content, or null.
const proto::Message *unwrapOnce(const proto::Message &m, MessageContent &out)
{
    if (m.has_device_sent_message() && m.device_sent_message().has_message()) {
        out.deviceSentTo = str(m.device_sent_message().destination_jid());
        return &m.device_sent_message().message();
    }
    for (const proto::FutureProofMessage *viewOnce :
         {&m.view_once_message(), &m.view_once_message_v2(), &m.view_once_message_v2_extension()}) {
        if (viewOnce->has_message()) {
            out.viewOnce = true;
            return &viewOnce->message();
        }
    }
    if (m.ephemeral_message().has_message()) {
        out.ephemeral = true;
        return &m.ephemeral_message().message();
    }
    if (m.document_with_caption_message().has_message())
        return &m.document_with_caption_message().message();
    if (m.edited_message().has_message())
        return &m.edited_message().message();
    return nullptr;
}

} // namespace

core::Result<MessageContent> parseMessage(QByteArrayView data)
{
    proto::Message message;
    if (!message.ParseFromArray(data.data(), int(data.size())))
        return core::Error::make(errc::kMessageMalformed, QStringLiteral("not a Message protobuf"));
    MessageContent out;
    const proto::Message *current = &message;
    for (int depth = 0; current; ++depth) {
        if (!out.senderKeyDistribution && current->has_sender_key_distribution_message()) {
            const proto::SenderKeyDistributionMessage &skdm = current->sender_key_distribution_message();
            out.senderKeyDistribution =
                SenderKeyDistribution{str(skdm.group_id()), bytes(skdm.axolotl_sender_key_distribution_message())};
        }
        if (readContent(*current, out))
            return out;
        const proto::Message *inner = depth < kMaxUnwrap ? unwrapOnce(*current, out) : nullptr;
        if (!inner) {
            if (out.senderKeyDistribution) {
                out.kind = Kind::SenderKeyDistributionOnly;
            } else {
                out.kind = Kind::Unknown;
                out.unknownField = firstUnknownField(current->unknown_fields());
                out.raw = data.toByteArray();
            }
            return out;
        }
        current = inner;
    }
    return out;
}

core::Result<MessageContent> decodeReceived(QByteArrayView padded)
{
    auto unpadded = unpadMessage(padded);
    if (!unpadded)
        return unpadded.error();
    return parseMessage(unpadded.value());
}

} // namespace atende::server::whatsapp
