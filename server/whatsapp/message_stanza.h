#pragma once
// <message> stanzas, crypto-agnostic (PROTOCOL.md §7.1, §7.6, §7.10, §8.1, §8.4): the Signal layer produces
// (device, enc type, ciphertext) triples and consumes the parsed encs; this layer only shapes and checks
// the nodes. Parsers are strict and report a stable error code (errc::kStanza*) — a malformed stanza is
// never a crash — and nackCodeFor() gives the <ack error> to answer it with (§6.4, §8.3).

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <QByteArray>

#include <optional>
#include <vector>

namespace atende::server::whatsapp {

// §7.1: "3EB0" + 18 upper-case hex digits of SHA-256(u64be(unix seconds) ‖ ownUser ‖ "@c.us" ‖ 16 random
// bytes). `randomBytes` is for tests; empty = fresh random bytes.
QString generateMessageId(const QString &ownUser, qint64 unixSeconds, QByteArray randomBytes = {});

struct OutgoingEnc {
    Jid device;            // the receiving device (AD JID)
    QString type;          // "pkmsg" or "msg"
    QByteArray ciphertext; // the serialized Signal message, unchanged
    QString mediaType;     // optional enc mediatype (§7.6)
};

struct OutgoingMessage {
    QString id;
    Jid to; // the chat (user JID, non-AD); for a retry resend the device that asked
    QString type = QStringLiteral("text");
    QString edit;                 // "" or the edit attribute ("1" edit, "7" revoke, …)
    bool hideDecryptFail = false; // decrypt-fail="hide" on every enc (edits, reactions)
    QString category;             // "peer" for peer messages to the own phone (§7.10): one enc, no participants
    std::vector<OutgoingEnc> encs;
    QByteArray deviceIdentity; // ADVSignedDeviceIdentity (account); required when any enc is a pkmsg
    // Retry resend (§8.4): count > 0 → one enc directly under <message> with count, t = the original t and
    // device_fanout="false".
    int retryCount = 0;
    qint64 originalTimestamp = 0;
};

// Fails with wa_stanza_invalid_input when the input cannot make a valid stanza (no id, no encs, an enc type
// other than pkmsg/msg, an empty ciphertext, a pkmsg without device identity, several encs for a peer or
// retry message).
core::Result<Node> buildMessageStanza(const OutgoingMessage &message);

struct IncomingEnc {
    QString type;       // pkmsg, msg, skmsg, … (the caller decides what it can decrypt)
    int version = 2;    // v
    int retryCount = 0; // count (the sender's retry number), 0 when absent
    QString mediaType;
    bool hideDecryptFail = false;
    QByteArray ciphertext;
};

struct IncomingMessage {
    QString id;
    Jid from;
    std::optional<Jid> participant;
    std::optional<Jid> recipient;
    qint64 timestamp = 0; // t
    QString type;
    QString notify;   // sender's push name ("-" is dropped)
    QString category; // "peer" or empty
    QString edit;
    bool offline = false;          // delivered from the server's offline queue (§6.7)
    std::vector<IncomingEnc> encs; // document order
    QByteArray deviceIdentity;     // present with pkmsg
    QString unavailableType;       // <unavailable type/> (e.g. view_once), empty if absent
    // §8.1 source rules
    Jid chat;   // group / broadcast JID, the peer (non-AD), or for own-device copies the recipient
    Jid sender; // the sending device (AD JID)
    bool fromOwnDevice = false;
    bool isGroup = false;
};

// `ownPn` / `ownLid` (user parts matter) decide whether the message came from one of our own devices.
core::Result<IncomingMessage> parseMessageStanza(const Node &node, const Jid &ownPn = {}, const Jid &ownLid = {});

// The <ack error> for a parse failure: 488 when there is no enc, 487 for every other malformed stanza.
int nackCodeFor(const core::Error &parseError);

} // namespace atende::server::whatsapp
