#pragma once
// Mapping between the accounts records and the atende.api.v1 messages (accounts.proto, sync.proto).

#include "server/accounts/account_types.h"

#include "atende/api/v1/accounts.pb.h"
#include "atende/api/v1/sync.pb.h"

#include <QStringList>

namespace atende::server::accounts {

atende::api::v1::Tenant toProto(const TenantSettings &tenant);
atende::api::v1::User toProto(const UserRecord &user);
atende::api::v1::Sector toProto(const SectorRecord &sector);

TenantPatch fromProto(const atende::api::v1::UpdateTenantRequest &request);
UserPatch fromProto(const atende::api::v1::UpdateUserRequest &request);
SectorPatch fromProto(const atende::api::v1::UpdateSectorRequest &request);
// Every field set; the reopen window defaults to kDefaultReopenWindowMinutes.
SectorPatch fromProto(const atende::api::v1::CreateSectorRequest &request);

QStringList toStringList(const google::protobuf::RepeatedPtrField<std::string> &values);
inline QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}

// Events without seq, tenant and time (Outbox::add() fills them in).
atende::api::v1::Event userChangedEvent(const UserRecord &user);
atende::api::v1::Event sectorChangedEvent(const SectorRecord &sector, bool deleted);
atende::api::v1::Event tenantChangedEvent(const TenantSettings &tenant);

} // namespace atende::server::accounts
