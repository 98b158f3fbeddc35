#pragma once
// Receipts and acks (PROTOCOL.md §6.4, §6.5, §8.3, §8.4): builders for the receipts a client sends
// (delivery, inactive, read, read-self, sender, peer_msg, retry with its <retry>, <registration> and
// optional <keys>), the client <ack> of a received stanza, and strict parsers for incoming receipts and the
// server's acks. Crypto-agnostic: retry keys are a PreKeyBundle the Signal layer fills in.

#include "common/core/result.h"
#include "server/whatsapp/key_bundle.h"
#include "server/whatsapp/node.h"

#include <QStringList>

#include <optional>

namespace atende::server::whatsapp {

struct OutgoingReceipt {
    QString id;                     // the (first) message id
    Jid to;                         // the message's from (delivery) or the chat (read, WM)
    std::optional<Jid> participant; // the message's participant (groups)
    std::optional<Jid> recipient;   // the message's recipient (own-device copies)
    QString type;                   // "" delivery, "inactive", "read", "read-self", "sender", "peer_msg", …
    qint64 timestamp = 0;           // t; set for read receipts (0 = absent)
    QStringList moreIds;            // further ids of the same chat and sender → <list><item id/></list>
    QString category;               // "peer" for receipts of peer messages
};

// Fails (wa_stanza_invalid_input) without id or `to`, or for type "retry" (use buildRetryReceipt).
core::Result<Node> buildReceipt(const OutgoingReceipt &receipt);

struct RetryReceipt {
    OutgoingReceipt base;        // id, to, participant, recipient, category of the failed message; type is set
    int count = 1;               // 1..5 (§8.4)
    qint64 messageTimestamp = 0; // the failed message's t
    quint32 registrationId = 0;
    std::optional<PreKeyBundle> keys; // fresh keys (WM: from count 2); registration comes from the field above
    QByteArray deviceIdentity;        // inside <keys>, required with keys
};
core::Result<Node> buildRetryReceipt(const RetryReceipt &retry);

// §6.4: <ack id to=<stanza from> class=<stanza tag> [participant] [recipient] [type] [error]/> — WM omits
// type for class="message"; `errorCode` 0 = no error attribute. Returns an error node only for a stanza
// without id or from (nothing to acknowledge).
core::Result<Node> buildClientAck(const Node &stanza, int errorCode = 0);

struct IncomingRetry {
    int count = 0;
    QString id;
    qint64 timestamp = 0; // the original message's t
    QString version;      // v
    quint32 registrationId = 0;
    std::optional<PreKeyBundle> keys; // registrationId copied in; device = the receipt's from
    QByteArray deviceIdentity;        // from <keys>
};

struct IncomingReceipt {
    Jid from; // the device that sent it
    QString id;
    QStringList ids; // id first, then <list> items
    qint64 timestamp = 0;
    QString type; // "" = delivered
    std::optional<Jid> participant;
    std::optional<Jid> recipient;
    bool offline = false;
    std::optional<IncomingRetry> retry; // type="retry"
};
// Strict: wrong tag, missing id / from, a non-numeric t, a retry receipt without a valid <retry> and
// <registration>, or malformed <keys> are reported, never thrown.
core::Result<IncomingReceipt> parseReceiptStanza(const Node &node);

// The server's ack of a stanza we sent (§6.4): class, id, from, t and error.
struct ServerAck {
    QString cls;
    QString id;
    std::optional<Jid> from;
    qint64 timestamp = 0; // 0 when absent
    int error = 0;        // 0 = accepted
    QString phash;
};
core::Result<ServerAck> parseServerAck(const Node &node);

} // namespace atende::server::whatsapp
