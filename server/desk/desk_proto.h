#pragma once
// Mapping between the desk records and the atende.api.v1 messages (contacts.proto, sync.proto), and the
// audit-log JSON of each record.

#include "server/desk/desk_types.h"

#include "atende/api/v1/contacts.pb.h"
#include "atende/api/v1/sync.pb.h"

#include <QJsonObject>

namespace atende::server::desk {

atende::api::v1::Contact toProto(const ContactRecord &contact);
atende::api::v1::ContactIdentity toProto(const IdentityRecord &identity);
atende::api::v1::Connection toProto(const ConnectionRecord &connection);

ContactPatch fromProto(const atende::api::v1::CreateContactRequest &request);
ContactPatch fromProto(const atende::api::v1::UpdateContactRequest &request);
ConnectionPatch fromProto(const atende::api::v1::CreateConnectionRequest &request);
ConnectionPatch fromProto(const atende::api::v1::UpdateConnectionRequest &request);

QJsonObject auditJson(const ContactRecord &contact); // with identities
QJsonObject auditJson(const IdentityRecord &identity);
QJsonObject auditJson(const ConnectionRecord &connection);

// Events without seq, tenant and time (Outbox::add() fills them in).
atende::api::v1::Event contactChangedEvent(const ContactRecord &contact);
atende::api::v1::Event connectionChangedEvent(const ConnectionRecord &connection, bool deleted);

} // namespace atende::server::desk
