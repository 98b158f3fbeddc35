#pragma once
// The end-to-end `Message` protobuf (PROTOCOL.md §8.5) as a neutral struct for the connector, and the few
// messages we send. Input is the decrypted, unpadded bytes (decodeReceived also strips the v="2" padding);
// wrappers are unwrapped — deviceSentMessage (§7.10, our own other devices), viewOnce, ephemeral,
// documentWithCaption, editedMessage — and nothing is ever dropped: content we do not model comes back as
// Kind::Unknown with the protobuf field number it had, plus the raw bytes.
//
// Pure protobuf, no Signal: the Signal layer (server/signal) only moves these bytes.

#include "common/core/result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>
#include <optional>

namespace atende::server::whatsapp {

// MessageKey: which message a reaction, revoke or edit is about.
struct MessageRef {
    QString remoteJid;
    bool fromMe = false;
    QString id;
    QString participant; // author in groups
};

// ContextInfo of a reply: the quoted message's id, author and (when it was text) its text.
struct QuoteInfo {
    QString stanzaId;
    QString participant;
    QString text; // conversation / extended text / caption of the quoted message
};

// What is needed to show media now and download it later (§9): the direct path and media key stay here.
struct MediaInfo {
    QString mimetype;
    QString caption;
    QString fileName; // documents
    QString title;    // documents
    quint64 fileLength = 0;
    quint32 seconds = 0; // audio, video
    quint32 width = 0;
    quint32 height = 0;
    bool voiceNote = false; // audio with PTT
    bool gif = false;       // video with gifPlayback
    bool animated = false;  // sticker
    QByteArray fileSha256;
    QByteArray fileEncSha256;
    QByteArray mediaKey;
    QString directPath;
    QString url;
    qint64 mediaKeyTimestamp = 0;
    QByteArray thumbnail; // JPEG (PNG for stickers), may be empty
};

struct LocationInfo {
    double latitude = 0;
    double longitude = 0;
    QString name;
    QString address;
    QString url;
    bool live = false;
};

struct ContactCard {
    QString displayName;
    QString vcard;
};

struct SenderKeyDistribution {
    QString groupId;
    QByteArray distributionMessage; // for SignalAccount::processSenderKeyDistribution
};

struct MessageContent {
    enum class Kind {
        Text,     // conversation or extendedTextMessage (maybe with a quote)
        Reaction, // `reaction` on `target`; empty reaction = removed
        Revoke,   // "delete for everyone" of `target`
        Edit,     // `target` now reads `text`
        Image,
        Video,
        Audio,
        Document,
        Sticker,
        Location,
        Contact,
        Protocol,                  // another protocolMessage type (history sync, app-state keys, …)
        SenderKeyDistributionOnly, // nothing but an SKDM (the group message follows as skmsg)
        Unknown,                   // see unknownField
    };
    Kind kind = Kind::Unknown;

    QString text;                   // Text, Edit; the caption is in media
    std::optional<QuoteInfo> quote; // replies (text and media)
    std::optional<MediaInfo> media; // Image … Sticker
    std::optional<LocationInfo> location;
    std::optional<ContactCard> contact;
    std::optional<MessageRef> target; // Reaction, Revoke, Edit
    QString reaction;                 // emoji
    qint64 timestampMs = 0;           // reaction senderTimestampMS, edit timestampMS
    int protocolType = -1;            // ProtocolMessage.type for Protocol (and Revoke 0, Edit 14)
    QStringList mentions;             // mentionedJID
    bool forwarded = false;
    bool viewOnce = false;
    bool ephemeral = false;

    // Our own other device sent this to `deviceSentTo` (§7.10): show it as outgoing in that chat.
    std::optional<QString> deviceSentTo;
    // An SKDM rides along with (or is) the content (§10).
    std::optional<SenderKeyDistribution> senderKeyDistribution;

    int unknownField = 0; // Unknown: the first content field number we do not model (0 = empty message)
    QByteArray raw;       // Unknown: the whole unpadded Message, kept for later versions
};

// Parses unpadded Message bytes; wa_message_malformed when they are not a Message.
core::Result<MessageContent> parseMessage(QByteArrayView bytes);
// Strips the v="2" padding (wa_message_padding_invalid) and parses.
core::Result<MessageContent> decodeReceived(QByteArrayView padded);

// Outgoing (unpadded; pad with padMessageRandom before encrypting).
struct OutgoingQuote {
    QString stanzaId;
    QString participant; // author JID of the quoted message
    QString text;        // its text, so the recipient can show the quote without looking it up
};
QByteArray buildTextMessage(const QString &text, const std::optional<OutgoingQuote> &quote = std::nullopt);
// What our other devices get instead of `message` (§7.4 step 2): deviceSentMessage{destination, message}
// plus the inner messageContextInfo copied to the outside. `message` must be a serialized Message.
QByteArray buildDeviceSentMessage(const QString &destinationJid, QByteArrayView message);
// Message{senderKeyDistributionMessage{groupId, skdm}}: the DM that hands a group member our sender key.
QByteArray buildSenderKeyDistributionMessage(const QString &groupId, QByteArrayView distributionMessage);

} // namespace atende::server::whatsapp
