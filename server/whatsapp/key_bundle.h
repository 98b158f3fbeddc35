#pragma once
// Prekey bundles (PROTOCOL.md §7.3, §8.4): the iq that fetches them and the parser of the <user> nodes of
// its result (and of the <keys> node of a retry receipt) into a plain struct the Signal layer consumes.
// Keys are the raw 32-byte curve25519 public keys of the wire (no 0x05 prefix).

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <QList>

#include <optional>
#include <vector>

namespace atende::server::whatsapp {

struct PreKeyBundle {
    Jid device;                       // whose bundle (AD JID as the server named it)
    quint32 registrationId = 0;       // u32be on the wire
    QByteArray identityKey;           // 32 bytes
    quint32 signedPreKeyId = 0;       // u24
    QByteArray signedPreKey;          // 32 bytes
    QByteArray signedPreKeySignature; // 64 bytes
    std::optional<quint32> preKeyId;  // one-time prekey (u24); absent when the server had none left
    QByteArray preKey;                // 32 bytes when preKeyId is set
};

// <iq to=S type="get" xmlns="encrypt"><key><user jid=D reason="identity"/>…</key></iq>; Session::query() adds
// the id. Fails (wa_stanza_invalid_input) for an empty list.
core::Result<Node> buildKeyBundleQuery(const QList<Jid> &devices);

struct KeyBundleResult {
    std::vector<PreKeyBundle> bundles;
    // Devices the server answered with <error code text/> (e.g. 404 for an unlinked device).
    std::vector<std::pair<Jid, core::Error>> failures;
};
// The iq result: <list><user jid>…</user>…</list>. An iq of type error → wa_stanza_iq_error; a malformed
// user node → wa_key_bundle_malformed (the whole answer is refused: it came from the server).
core::Result<KeyBundleResult> parseKeyBundleResult(const Node &iq);

// One bundle from a node holding <type/>, <identity/>, [<key/>], <skey/> and — unless it comes from a retry
// receipt's <keys> (registration is then outside) — <registration/>.
core::Result<PreKeyBundle> parsePreKeyBundle(const Node &node, bool withRegistration = true);

// The children of a bundle node (without registration when `withRegistration` is false), e.g. for the
// <keys> of a retry receipt.
std::vector<Node> preKeyBundleChildren(const PreKeyBundle &bundle, bool withRegistration = true);

} // namespace atende::server::whatsapp
