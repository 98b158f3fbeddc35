#pragma once
// Device lists (PROTOCOL.md §7.2): the usync query a sender makes before encrypting, and its result as
// plain per-user device lists.

#include "common/core/result.h"
#include "server/whatsapp/node.h"

#include <QList>

#include <optional>
#include <vector>

namespace atende::server::whatsapp {

// <iq to=S type="get" xmlns="usync"><usync sid mode="query" context="message" last="true" index="0">
//   <query><devices version="2"/>[<lid/>]</query><list><user jid/>…</list></usync></iq>
// `users` are user JIDs (device parts are dropped). Fails (wa_stanza_invalid_input) for an empty list or an
// empty sid.
core::Result<Node> buildUsyncDeviceQuery(const QList<Jid> &users, const QString &sid, bool withLid = true);

struct UsyncDevice {
    quint16 id = 0;
    quint32 keyIndex = 0; // 0 when absent (the primary device)
    bool hosted = false;  // is_hosted="true": addressed on the hosted server
};

struct UsyncUser {
    Jid user;                         // as the server named it (non-AD)
    std::vector<UsyncDevice> devices; // in server order
    std::optional<Jid> lid;           // <lid val/> when queried
    // The device JIDs to encrypt for (hosted devices on hosted / hosted.lid).
    QList<Jid> deviceJids() const;
};

// The iq result. iq type error → wa_stanza_iq_error; a user whose device list is malformed →
// wa_stanza_bad_child; users with an <error> child (unknown number) are left out.
core::Result<std::vector<UsyncUser>> parseUsyncDevices(const Node &iq);

} // namespace atende::server::whatsapp
