// The Message protobufs we send (PROTOCOL.md §7.4, §10): text with an optional quote, the device-sent
// wrapper for our own other devices, and the sender-key distribution DM.

#include "server/whatsapp/message_content.h"
#include "server/whatsapp/proto/wa_message.pb.h"

namespace atende::server::whatsapp {

namespace {

QByteArray serialized(const proto::Message &m)
{
    return QByteArray::fromStdString(m.SerializeAsString());
}

} // namespace

QByteArray buildTextMessage(const QString &text, const std::optional<OutgoingQuote> &quote)
{
    proto::Message m;
    if (!quote) {
        m.set_conversation(text.toStdString());
        return serialized(m);
    }
    proto::ExtendedTextMessage *extended = m.mutable_extended_text_message();
    extended->set_text(text.toStdString());
    proto::ContextInfo *context = extended->mutable_context_info();
    context->set_stanza_id(quote->stanzaId.toStdString());
    if (!quote->participant.isEmpty())
        context->set_participant(quote->participant.toStdString());
    context->mutable_quoted_message()->set_conversation(quote->text.toStdString());
    return serialized(m);
}

QByteArray buildDeviceSentMessage(const QString &destinationJid, QByteArrayView message)
{
    proto::Message inner;
    // A message we built ourselves always parses; if not, the bytes still travel (as unknown fields).
    (void)inner.ParseFromArray(message.data(), int(message.size()));
    proto::Message outer;
    proto::DeviceSentMessage *dsm = outer.mutable_device_sent_message();
    dsm->set_destination_jid(destinationJid.toStdString());
    *dsm->mutable_message() = inner;
    if (inner.has_message_context_info())
        *outer.mutable_message_context_info() = inner.message_context_info();
    return serialized(outer);
}

QByteArray buildSenderKeyDistributionMessage(const QString &groupId, QByteArrayView distributionMessage)
{
    proto::Message m;
    proto::SenderKeyDistributionMessage *skdm = m.mutable_sender_key_distribution_message();
    skdm->set_group_id(groupId.toStdString());
    skdm->set_axolotl_sender_key_distribution_message(distributionMessage.data(), size_t(distributionMessage.size()));
    return serialized(m);
}

} // namespace atende::server::whatsapp
